import { runReminders } from "../services/inbox/reminders";

/**
 * Every 5 minutes: remind assignees of overdue interactions (notification, and email and/or signed
 * webhook when configured). Safe when two runs overlap; see services/inbox/reminders.ts.
 */
export async function remindersJob(
  _controller: ScheduledController,
  env: Env,
  _ctx: ExecutionContext,
): Promise<void> {
  const r = await runReminders(env);
  if (r.claimed || r.webhookFailures) console.log("reminders", JSON.stringify(r));
}
