import { recoverStuckLedger } from "../services/ledger/recover";

/** Cron entry (every 5 minutes): rows stuck in pending or past their claim lease go back to SEND. */
export async function ledgerRecoveryJob(
  _controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
): Promise<void> {
  await recoverStuckLedger(env, env.SEND_QUEUE);
}
