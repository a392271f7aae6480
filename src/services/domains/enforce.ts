/**
 * Mail from a registered sending domain goes out only once the domain is verified: a campaign send,
 * a scenario start and POST /send answer 422 DOMAIN_NOT_VERIFIED otherwise. A From domain nobody
 * registered sends as before (the provider has its own checks).
 */
import { ApiError } from "../../lib/errors";
import type { Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";

/** The From address's domain and every parent of it (mail.shop.example, shop.example, example). */
export function domainsOf(email: string): string[] {
  const host = email
    .slice(email.lastIndexOf("@") + 1)
    .trim()
    .toLowerCase();
  const parts = host.split(".").filter(Boolean);
  return parts.slice(0, -1).map((_, i) => parts.slice(i).join("."));
}

/** The registered domain that covers this From address (the most specific), if any. */
export async function domainFor(tenant: Tenant, fromEmail: string) {
  const candidates = domainsOf(fromEmail);
  if (!candidates.length) return null;
  const rows = await tenantSql(
    tenant,
    "SELECT id, domain, status, warmup FROM sending_domains WHERE organization_id = ?1 AND domain IN (SELECT value FROM json_each(?2))",
    JSON.stringify(candidates),
  ).all<{ id: string; domain: string; status: string; warmup: string | null }>();
  return rows.results.sort((a, b) => b.domain.length - a.domain.length)[0] ?? null;
}

export async function assertSendingDomain(tenant: Tenant, fromEmail: string, field = "from_email") {
  const d = await domainFor(tenant, fromEmail);
  if (d && d.status !== "verified")
    throw new ApiError(
      "DOMAIN_NOT_VERIFIED",
      `the sending domain ${d.domain} is not verified (${d.status})`,
      [{ field, message: `publish its DNS records, then check it: GET /api/v1/domains/${d.id}` }],
    );
}
