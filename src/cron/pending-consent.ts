import { tenantFor } from "../db/route";
import { now } from "../lib/clock";
import { getConsentSettings } from "../services/consent/settings";
import { crossTenantSql, tenantBatch, tenantSql } from "../lib/tenant-sql";

const DAY = 86_400_000;

/**
 * Daily: sign-ups that never confirmed their double opt-in expire after the organization's
 * pending_expiry_days. Only contacts the form created for it go (still unsubscribed, consent still
 * pending, never sent marketing mail); their pending consent records go with them. Nothing is
 * suppressed: they may sign up again.
 */
export async function expirePendingSignups(env: Env, at = now()): Promise<number> {
  const orgs = await crossTenantSql(env.DB, "SELECT id FROM organizations ORDER BY id").all<{ id: string }>();
  let removed = 0;
  for (const { id } of orgs.results) {
    const tenant = await tenantFor(env, id);
    const { pending_expiry_days } = await getConsentSettings(tenant);
    const stale = await tenantSql(
      tenant,
      `SELECT id FROM contacts WHERE organization_id = ?1 AND status = 'unsubscribed' AND last_sent_at IS NULL
         AND json_extract(consents, '$.email_marketing') = 'pending' AND created_at < ?2 LIMIT 1000`,
      at - pending_expiry_days * DAY,
    ).all<{ id: string }>();
    const ids = JSON.stringify(stale.results.map((r) => r.id));
    if (!stale.results.length) continue;
    await tenantBatch(tenant, [
      tenantSql(
        tenant,
        "DELETE FROM consent_records WHERE organization_id = ?1 AND contact_id IN (SELECT value FROM json_each(?2))",
        ids,
      ),
      tenantSql(
        tenant,
        "DELETE FROM contacts WHERE organization_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
        ids,
      ),
    ]);
    removed += stale.results.length;
  }
  return removed;
}

export async function pendingConsentJob(_controller: ScheduledController, env: Env): Promise<void> {
  const n = await expirePendingSignups(env);
  if (n) console.log(`pending sign-ups expired: ${n}`);
}
