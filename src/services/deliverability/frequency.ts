/**
 * The organization-wide frequency cap: at most `max` marketing emails per contact in `per_days`
 * days, across every scenario and campaign. Checked at send time (SEND skips the surplus with the
 * reason `frequency_cap`) and in campaign audiences (the dry run counts `frequency_cap`).
 */
import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import type { AudienceCheck } from "../campaigns/audience";
import { type DeliverabilitySettings, getDeliverability } from "./settings";
import { tenantSql } from "../../lib/tenant-sql";

export const FREQUENCY_CAP = "frequency_cap";

/** Emails sent to each of these contacts since `since` (messages_org_contact index). */
export async function recentSends(
  tenant: Tenant,
  contactIds: string[],
  since: number,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < contactIds.length; i += 500) {
    const res = await tenantSql(
      tenant,
      `SELECT contact_id, count(*) AS n FROM messages
         WHERE organization_id = ?1 AND contact_id IN (SELECT value FROM json_each(?2)) AND sent_at >= ?3
         GROUP BY contact_id`,
      JSON.stringify(contactIds.slice(i, i + 500)),
      since,
    ).all<{ contact_id: string; n: number }>();
    for (const r of res.results) out.set(r.contact_id, r.n);
  }
  return out;
}

/**
 * For a batch of marketing sends: a function that says, contact by contact in order, whether one
 * more email goes over the cap (it counts the batch's own sends as it goes). Null when no cap is set.
 */
export async function frequencyGate(
  tenant: Tenant,
  cap: DeliverabilitySettings["frequency_cap"],
  contactIds: string[],
  at = now(),
) {
  if (!cap || !contactIds.length) return null;
  const counts = await recentSends(tenant, [...new Set(contactIds)], at - cap.per_days * 86_400_000);
  const reason = `${FREQUENCY_CAP}: ${cap.max} email(s) in ${cap.per_days} day(s) already`;
  return (contactId: string): string | null => {
    const n = counts.get(contactId) ?? 0;
    if (n >= cap.max) return reason;
    counts.set(contactId, n + 1);
    return null;
  };
}

/** Campaign audiences leave out contacts at their frequency cap (counted as frequency_cap). */
export const frequencyCapCheck: AudienceCheck = {
  reason: "frequency_cap",
  async exclude(tenant, _campaign, page) {
    const out = new Map<string, null>();
    const { frequency_cap } = await getDeliverability(tenant);
    const gate = await frequencyGate(
      tenant,
      frequency_cap,
      page.map((c) => c.id),
    );
    if (!gate) return out;
    for (const c of page) if (gate(c.id)) out.set(c.id, null);
    return out;
  },
};
