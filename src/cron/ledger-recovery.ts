import { recoverStuckLedger } from "../services/ledger/recover";
import { bindings } from "../services/scenarios/seams";

/** Cron entry (every 5 minutes): rows stuck in pending or past their claim lease go back to SEND. */
export async function ledgerRecoveryJob(
  _controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
): Promise<void> {
  const b = bindings(env);
  await recoverStuckLedger(b.env, b.SEND_QUEUE);
}
