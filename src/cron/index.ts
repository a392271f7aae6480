import { ledgerRecoveryJob } from "./ledger-recovery";
import { remindersJob } from "./reminders";
import { dateReachedJob } from "./date-reached";
import { journeyDatesJob } from "./journey-dates";
import { domainChecksJob } from "./domains";
import { reportRollupJob } from "./report-rollup";
import { rfmJob } from "../services/rfm/job";
import { pendingConsentJob } from "./pending-consent";
import { retentionJob } from "./retention";
import { scheduledCampaignsJob } from "./scheduled-campaigns";
import { uiSessionsJob } from "./ui-sessions";
import { runScoreDecay } from "./score-decay";

/** Cron jobs by schedule (wrangler.toml [triggers]); each job is one file in this folder. */
type Job = (controller: ScheduledController, env: Env, ctx: ExecutionContext) => Promise<void>;

export const CRON_EVERY_5_MIN = "*/5 * * * *";
export const CRON_DAILY = "0 4 * * *";
/** Mondays 03:00 UTC: a day name, since Cloudflare numbers weekdays 1-7 from Sunday (1 would be Sunday). */
export const CRON_WEEKLY = "0 3 * * MON";

/** The jobs each schedule runs. Add a job here when a feature brings one. */
const jobs: Record<string, Job[]> = {
  [CRON_EVERY_5_MIN]: [remindersJob, ledgerRecoveryJob, scheduledCampaignsJob, domainChecksJob],
  [CRON_DAILY]: [
    retentionJob,
    dateReachedJob,
    journeyDatesJob,
    pendingConsentJob,
    rfmJob,
    uiSessionsJob,
    reportRollupJob,
  ],
  [CRON_WEEKLY]: [runScoreDecay],
};

export async function runCron(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
  const due = jobs[controller.cron] ?? [];
  if (!due.length) console.warn(`no job for cron ${controller.cron}`);
  // One failing job must not keep the others from running.
  const results = await Promise.allSettled(due.map((job) => job(controller, env, ctx)));
  for (const r of results)
    if (r.status === "rejected") console.error("cron job failed", controller.cron, r.reason);
}
