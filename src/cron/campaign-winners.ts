import { d1Named, databaseNames, tenantFor } from "../db/route";
import { now } from "../lib/clock";
import { parseJson } from "../lib/json";
import { type AutoWinner, decide, type VariantCounts } from "../services/ab-winner/decide";
import { enqueueResolution } from "../services/campaigns/resolve";
import { getCampaign } from "../services/campaigns/store";
import type { Tenant } from "../lib/tenant";
import { crossTenantSql, tenantSql } from "../lib/tenant-sql";

/** The test group's figures per variant, from its messages (the messages_campaign index). */
export async function campaignVariantCounts(tenant: Tenant, campaignId: string): Promise<VariantCounts[]> {
  const res = await tenantSql(
    tenant,
    `SELECT variant_name AS name,
         sum(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END) AS sent,
         sum(CASE WHEN open_count > 0 THEN 1 ELSE 0 END) AS opened,
         sum(CASE WHEN click_count > 0 THEN 1 ELSE 0 END) AS clicked,
         sum(CASE WHEN replied_at IS NOT NULL THEN 1 ELSE 0 END) AS replied
       FROM messages WHERE campaign_id = ?2 AND organization_id = ?1 AND variant_name IS NOT NULL
       GROUP BY variant_name ORDER BY variant_name`,
    campaignId,
  ).all<VariantCounts>();
  return res.results;
}

/**
 * Every 5 minutes (with the scheduled campaigns): campaigns whose A/B test time is up get their
 * winner (or the leader, `reached: false`), recorded once; then the rest of the audience is resolved.
 */
export async function decideCampaignWinners(env: Env): Promise<number> {
  let decided = 0;
  const at = now();
  for (const name of databaseNames(env)) {
    const due = await crossTenantSql(
      d1Named(env, name),
      `SELECT id, organization_id FROM campaigns
       WHERE status = 'sending' AND decide_at IS NOT NULL AND decide_at <= ?1 AND winner IS NULL LIMIT 100`,
      at,
    ).all<{ id: string; organization_id: string }>();
    for (const row of due.results) {
      const tenant = await tenantFor(env, row.organization_id);
      const c = await getCampaign(tenant, row.id);
      const settings = parseJson<AutoWinner | null>(c.autoWinner, null);
      if (!settings) continue;
      const variants = await campaignVariantCounts(tenant, c.id);
      const decision = decide(settings, variants, at, true);
      if (!decision) continue;
      const won = await tenantSql(
        tenant,
        "UPDATE campaigns SET winner = ?3, updated_at = ?4 WHERE organization_id = ?1 AND id = ?2 AND winner IS NULL",
        c.id,
        JSON.stringify(decision),
        at,
      ).run();
      if (!won.meta.changes) continue;
      decided++;
      await enqueueResolution(env, tenant, { ...c, cursor: null });
    }
  }
  return decided;
}
