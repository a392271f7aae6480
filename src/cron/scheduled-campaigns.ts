import { d1Named, databaseNames } from "../db/route";
import { now } from "../lib/clock";
import { startScheduled } from "../services/campaigns/transitions";
import { decideCampaignWinners } from "./campaign-winners";
import { crossTenantSql } from "../lib/tenant-sql";

/**
 * Every 5 minutes: start the scheduled campaigns whose time has come (the fallback for their own
 * alarms; a campaign is started once whichever comes first). Walks every database.
 */
export async function startDueCampaigns(env: Env): Promise<number> {
  let started = 0;
  for (const name of databaseNames(env)) {
    const due = await crossTenantSql(
      d1Named(env, name),
      "SELECT id, organization_id FROM campaigns WHERE status = 'scheduled' AND send_at <= ?1 LIMIT 100",
      now(),
    ).all<{ id: string; organization_id: string }>();
    for (const c of due.results) if (await startScheduled(env, c.organization_id, c.id)) started++;
  }
  return started;
}

export async function scheduledCampaignsJob(_controller: ScheduledController, env: Env): Promise<void> {
  const n = await startDueCampaigns(env);
  if (n) console.log(`scheduled campaigns: ${n} started`);
  const w = await decideCampaignWinners(env);
  if (w) console.log(`campaign A/B tests: ${w} winner(s) decided`);
}
