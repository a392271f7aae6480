/**
 * Sending domains: register one (the records to publish come from the organization's provider:
 * SES Easy DKIM and MAIL FROM, or Brevo's records; DMARC for all), check it (the provider's view
 * of DKIM and MAIL FROM / SPF, DMARC over DNS-over-HTTPS), on demand and on a schedule: every
 * 6 hours while pending, daily once verified. A domain verified by one organization cannot be
 * registered by another.
 */
import { asc, eq, gt } from "drizzle-orm";
import { getDomain, parse } from "tldts";
import { configOf } from "../../config";
import { d1Named, databaseNames } from "../../db/route";
import { type DomainStatus, sendingDomains } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { crossTenantSql } from "../../lib/tenant-sql";
import { brevoDomains, type IdentityRecord, lookupTxt, sesIdentities } from "../../providers/domains";
import { resolveProviderAccount } from "../settings/provider-accounts";
import { allowanceOn, type Warmup } from "./warmup";

export const CHECK_PENDING_MS = 6 * 3_600_000;
export const CHECK_VERIFIED_MS = 24 * 3_600_000;

export interface DomainRecord extends Omit<IdentityRecord, "kind"> {
  kind: IdentityRecord["kind"] | "dmarc";
}

type Row = typeof sendingDomains.$inferSelect;

const DMARC_VALUE = (domain: string) => `v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}`;

export function domainView(r: Row) {
  const warmup = parseJson<Warmup | null>(r.warmup, null);
  return {
    id: r.id,
    domain: r.domain,
    provider: r.provider,
    status: r.status,
    records: parseJson<DomainRecord[]>(r.records, []),
    reason: r.reason,
    checked_at: iso(r.checkedAt),
    next_check_at: iso(r.nextCheckAt),
    verified_at: iso(r.verifiedAt),
    warmup: warmup
      ? { ...warmup, started_at: iso(warmup.started_at), today_allowance: allowanceOn(warmup, now()) }
      : null,
    created_at: iso(r.createdAt) as string,
  };
}

/** A registrable name: lower case, not an IP, not a public suffix (co.uk, github.io). */
export function checkDomainName(input: string): string {
  const domain = input.trim().toLowerCase().replace(/\.$/, "");
  const fail = (message: string) =>
    new ApiError("VALIDATION_ERROR", `domain: ${message}`, [{ field: "domain", message }]);
  const p = parse(domain, { allowPrivateDomains: true });
  if (p.isIp || /^[\d.]+$/.test(domain) || domain.includes(":")) throw fail("an IP address is not a domain");
  if (!/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(domain))
    throw fail("not a domain name");
  if (!getDomain(domain, { allowPrivateDomains: true }))
    throw fail("a public suffix cannot be a sending domain");
  return domain;
}

/** Which provider authenticates the organization's domains: SES, else Brevo, else none (log). */
async function providerOf(env: Env, tenant: Tenant) {
  const key = configOf(env).ENCRYPTION_KEY;
  const ses = await resolveProviderAccount(tenant, key, "ses").catch(() => null);
  if (ses?.provider === "ses") return { name: "ses" as const, ses: ses.account };
  const brevo = await resolveProviderAccount(tenant, key, "brevo").catch(() => null);
  if (brevo?.provider === "brevo") return { name: "brevo" as const, apiKey: brevo.account.apiKey };
  return { name: "log" as const };
}

/** The provider's records for the domain (created there on the first call) and their status. */
async function providerRecords(env: Env, tenant: Tenant, domain: string, create: boolean) {
  const config = configOf(env);
  const p = await providerOf(env, tenant);
  if (p.name === "ses") {
    const api = sesIdentities(p.ses, config.SES_ENDPOINT);
    return { provider: p.name, res: create ? await api.create(domain) : await api.get(domain) };
  }
  if (p.name === "brevo") {
    const api = brevoDomains(p.apiKey, config.BREVO_API_BASE);
    return { provider: p.name, res: create ? await api.create(domain) : await api.get(domain) };
  }
  // No provider (the log provider, locally): SPF and DMARC, checked over DNS.
  const spf: IdentityRecord = {
    kind: "spf",
    type: "TXT",
    name: domain,
    value: "v=spf1 ~all",
    status: "pending",
  };
  return { provider: p.name, res: { ok: true as const, value: [spf] } };
}

/** The DMARC record's status, from DNS. */
async function dmarcRecord(
  env: Env,
  domain: string,
): Promise<{ record: DomainRecord; reason: string | null }> {
  const name = `_dmarc.${domain}`;
  const txt = await lookupTxt(configOf(env).DOH_ENDPOINT, name);
  const found = txt.ok && txt.value.some((v) => /^v=DMARC1(;|\s|$)/i.test(v.trim()));
  return {
    record: {
      kind: "dmarc",
      type: "TXT",
      name,
      value: DMARC_VALUE(domain),
      status: found ? "verified" : "pending",
    },
    reason: txt.ok ? (found ? null : "no DMARC record yet") : txt.reason,
  };
}

/** SPF for a log-provider domain: any v=spf1 TXT at the domain. */
async function spfFromDns(env: Env, r: DomainRecord): Promise<DomainRecord> {
  const txt = await lookupTxt(configOf(env).DOH_ENDPOINT, r.name);
  return { ...r, status: txt.ok && txt.value.some((v) => v.startsWith("v=spf1")) ? "verified" : "pending" };
}

/** Every record's status, and the domain's: verified when all are, failed when the provider says so. */
async function evaluate(env: Env, tenant: Tenant, domain: string, create: boolean) {
  const { provider, res } = await providerRecords(env, tenant, domain, create);
  const dmarc = await dmarcRecord(env, domain);
  if (!res.ok) return { provider, records: null, status: "pending" as DomainStatus, reason: res.reason };
  const records: DomainRecord[] = await Promise.all(
    res.value.map((r) => (provider === "log" && r.kind === "spf" ? spfFromDns(env, r) : Promise.resolve(r))),
  );
  records.push(dmarc.record);
  const status: DomainStatus = records.some((r) => r.status === "failed")
    ? "failed"
    : records.every((r) => r.status === "verified")
      ? "verified"
      : "pending";
  const waiting = records.filter((r) => r.status !== "verified").map((r) => `${r.kind} ${r.name}`);
  return {
    provider,
    records,
    status,
    reason: status === "verified" ? null : (dmarc.reason ?? `waiting for: ${waiting.join(", ")}`),
  };
}

/** Whether another organization (in any database) has verified the domain. */
async function verifiedElsewhere(env: Env, orgId: string, domain: string) {
  for (const name of databaseNames(env)) {
    const row = await crossTenantSql(
      d1Named(env, name),
      "SELECT 1 FROM sending_domains WHERE domain = ?1 AND status = 'verified' AND organization_id <> ?2 LIMIT 1",
      domain,
      orgId,
    ).first();
    if (row) return true;
  }
  return false;
}

/** POST /domains: 409 when another organization has verified it, or this one has it already. */
export async function registerDomain(env: Env, tenant: Tenant, input: string) {
  const domain = checkDomainName(input);
  if (await verifiedElsewhere(env, tenant.orgId, domain))
    throw new ApiError("CONFLICT", `${domain} is verified by another organization`, [
      { field: "domain", message: "already verified elsewhere" },
    ]);
  const existing = await tenant.db
    .select({ id: sendingDomains.id })
    .from(sendingDomains)
    .where(scoped(tenant, sendingDomains, eq(sendingDomains.domain, domain)))
    .get();
  if (existing)
    throw new ApiError("CONFLICT", `${domain} is registered already`, [
      { field: "domain", message: `see GET /api/v1/domains/${existing.id}` },
    ]);
  const at = now();
  const checked = await evaluate(env, tenant, domain, true);
  const [row] = await tenant.db
    .insert(sendingDomains)
    .values({
      id: newId("dom", at),
      organizationId: tenant.orgId,
      domain,
      provider: checked.provider,
      status: checked.status,
      records: JSON.stringify(checked.records ?? []),
      reason: checked.reason,
      checkedAt: at,
      nextCheckAt: at + (checked.status === "verified" ? CHECK_VERIFIED_MS : CHECK_PENDING_MS),
      verifiedAt: checked.status === "verified" ? at : null,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ApiError("CONFLICT", `${domain} is registered already`);
  return domainView(row);
}

export async function getDomainRow(tenant: Tenant, id: string): Promise<Row> {
  const row = await tenant.db
    .select()
    .from(sendingDomains)
    .where(scoped(tenant, sendingDomains, eq(sendingDomains.id, id)))
    .get();
  if (!row) throw notFound("domain");
  return row;
}

/**
 * Check a domain again and store what was found. Answers the row and whether it lost a verification
 * it had (the caller pauses what sends from it).
 */
export async function recheckDomain(env: Env, tenant: Tenant, row: Row) {
  const at = now();
  const checked = await evaluate(env, tenant, row.domain, false);
  // A check that could not reach the provider keeps the records and status it had.
  const status = checked.records ? checked.status : row.status === "verified" ? "verified" : "pending";
  const [updated] = await tenant.db
    .update(sendingDomains)
    .set({
      status,
      records: checked.records ? JSON.stringify(checked.records) : row.records,
      reason: checked.reason,
      checkedAt: at,
      nextCheckAt: at + (status === "verified" ? CHECK_VERIFIED_MS : CHECK_PENDING_MS),
      verifiedAt: status === "verified" ? (row.verifiedAt ?? at) : null,
      updatedAt: at,
    })
    .where(scoped(tenant, sendingDomains, eq(sendingDomains.id, row.id)))
    .returning();
  const next = updated ?? row;
  return { row: next, lost: row.status === "verified" && next.status !== "verified" };
}

export async function listDomains(tenant: Tenant, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(sendingDomains)
    .where(scoped(tenant, sendingDomains, after ? gt(sendingDomains.domain, String(after[0])) : undefined))
    .orderBy(asc(sendingDomains.domain))
    .limit(q.limit + 1)
    .all();
  const { items, next_cursor } = page(rows, q.limit, (r) => [r.domain]);
  return { items: items.map(domainView), next_cursor };
}

export async function deleteDomain(tenant: Tenant, id: string) {
  const [row] = await tenant.db
    .delete(sendingDomains)
    .where(scoped(tenant, sendingDomains, eq(sendingDomains.id, id)))
    .returning({ id: sendingDomains.id });
  if (!row) throw notFound("domain");
}

export async function setWarmup(tenant: Tenant, id: string, warmup: Omit<Warmup, "started_at"> | null) {
  const row = await getDomainRow(tenant, id);
  const previous = parseJson<Warmup | null>(row.warmup, null);
  const value: Warmup | null = warmup ? { ...warmup, started_at: previous?.started_at ?? now() } : null;
  const [updated] = await tenant.db
    .update(sendingDomains)
    .set({ warmup: value ? JSON.stringify(value) : null, updatedAt: now() })
    .where(scoped(tenant, sendingDomains, eq(sendingDomains.id, id)))
    .returning();
  return domainView(updated ?? row);
}

/** The domains of every organization, in every database, due a scheduled check (the cron job). */
export async function dueDomains(env: Env, at: number, limit = 50) {
  const out: { id: string; organization_id: string }[] = [];
  for (const name of databaseNames(env)) {
    const res = await crossTenantSql(
      d1Named(env, name),
      "SELECT id, organization_id FROM sending_domains WHERE next_check_at <= ?1 ORDER BY next_check_at LIMIT ?2",
      at,
      limit,
    ).all<{ id: string; organization_id: string }>();
    out.push(...res.results);
  }
  return out;
}
