/**
 * A domain that loses its verification stops sending: the active scenarios and the sending or
 * scheduled campaigns whose From address it covers are paused (reason domain_unverified), and the
 * team is notified. Resuming them answers 422 DOMAIN_NOT_VERIFIED until it is verified again.
 */
import type { Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";
import { transitionCampaign } from "../campaigns/transitions";
import { notifyMembers } from "../notifications/store";
import { transitionScenario } from "../scenarios/transitions";

export const DOMAIN_UNVERIFIED = "domain_unverified";

/** SQL LIKE patterns of the From addresses a domain covers (itself and its subdomains). */
const covers = (domain: string) => [`%@${domain}`, `%.${domain}`];

export async function pauseSendersOf(env: Env, tenant: Tenant, domain: string) {
  const [exact, sub] = covers(domain);
  const [scenarios, campaigns] = await Promise.all([
    tenantSql(
      tenant,
      "SELECT id, name FROM scenarios WHERE organization_id = ?1 AND status = 'active' AND (lower(from_email) LIKE ?2 OR lower(from_email) LIKE ?3)",
      exact,
      sub,
    ).all<{ id: string; name: string }>(),
    tenantSql(
      tenant,
      "SELECT id, name FROM campaigns WHERE organization_id = ?1 AND status IN ('sending', 'scheduled') AND (lower(from_email) LIKE ?2 OR lower(from_email) LIKE ?3)",
      exact,
      sub,
    ).all<{ id: string; name: string }>(),
  ]);
  const paused: string[] = [];
  for (const s of scenarios.results)
    if (
      await transitionScenario(env, tenant, s.id, "pause", DOMAIN_UNVERIFIED).then(
        () => true,
        () => false,
      )
    )
      paused.push(s.name);
  for (const c of campaigns.results)
    if (
      await transitionCampaign(env, tenant, c.id, "pause", { reason: DOMAIN_UNVERIFIED }).then(
        () => true,
        () => false,
      )
    )
      paused.push(c.name);
  await notifyMembers(
    tenant,
    `Sending domain ${domain} is no longer verified`,
    paused.length
      ? `Paused until it is verified again: ${paused.join(", ")}. Check its DNS records in Settings > Domains.`
      : "Check its DNS records in Settings > Domains.",
  );
  return paused;
}
