import { now } from "../lib/clock";
import { tenantsWith } from "../services/organizations/active";
import { localDate, reportDays } from "../services/reports/days";
import { dayCounts, REPORT_OPEN_DAYS } from "../services/reports/rollup";
import { getOrganizationProfile } from "../services/settings/organization-profile";

const DAY_MS = 86_400_000;
/** How far back the nightly pass makes sure days are rolled up (older ones: on a report's demand). */
const NIGHTLY_DAYS = 31;

/**
 * Daily: roll up the report days that closed (over REPORT_OPEN_DAYS old), for every organization
 * that sent mail, so the first report of the morning reads stored rows instead of counting them.
 * Idempotent: a day rolled up already is left alone.
 */
export async function nightlyReportRollup(env: Env, at = now()): Promise<number> {
  let n = 0;
  for await (const tenant of tenantsWith(env, "messages")) {
    const { timezone } = await getOrganizationProfile(tenant);
    const last = localDate(at - (REPORT_OPEN_DAYS + 1) * DAY_MS, timezone);
    const first = localDate(at - (REPORT_OPEN_DAYS + NIGHTLY_DAYS) * DAY_MS, timezone);
    await dayCounts(tenant, reportDays(first, last, timezone), "all", timezone, at);
    n++;
  }
  return n;
}

export async function reportRollupJob(_controller: ScheduledController, env: Env): Promise<void> {
  const n = await nightlyReportRollup(env);
  if (n) console.log(`reports: closed days rolled up for ${n} organization(s)`);
}
