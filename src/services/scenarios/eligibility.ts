/**
 * Who may enter a scenario: subscribed, not suppressed, validation_score >= min_validation_score,
 * deliverable when only_deliverable is set, and a domain not in exclude_domains. The SQL part runs
 * in D1; suppression is keyed by a SHA-256 of the address, so that part is checked per page here.
 */
import { parseJson } from "../../lib/json";
import type { Tenant } from "../../lib/tenant";
import { bindCriteria } from "../segments/criteria";
import { type Membership, membershipOf } from "../segments/query";
import { getConsentSettings } from "../consent/settings";
import { getSegment } from "../segments/store";

const EVERYONE: Audience = { segment: null, consentRequired: false };
import type { ScenarioRow } from "./store";
import { emailHash } from "../suppressions/store";
import { tenantSql } from "../../lib/tenant-sql";

export interface EligibleContact {
  id: string;
  email: string;
  timezone: string | null;
  /** Set by withoutSuppressed: the suppression key of the address. */
  email_hash?: string;
}

/**
 * WHERE conditions (besides the organization) over contacts `c` and their parameters, numbered from
 * ?base: the scenario's filters, and its segment's membership when it has one.
 */
function filters(s: ScenarioRow, base: number, audience: Audience) {
  const { segment } = audience;
  return {
    sql: `c.status = 'subscribed'
      ${audience.consentRequired ? "AND json_extract(c.consents, '$.email_marketing') = 'granted'" : ""}
      AND (?${base} IS NULL OR (c.validation_score IS NOT NULL AND c.validation_score >= ?${base}))
      AND (?${base + 1} = 0 OR c.deliverable = 1)
      AND substr(c.email_normalized, instr(c.email_normalized, '@') + 1) NOT IN (SELECT value FROM json_each(?${base + 2}))
      ${segment ? `AND ${bindCriteria(segment, base + 3)}` : ""}`,
    params: [
      s.minValidationScore,
      s.onlyDeliverable ? 1 : 0,
      JSON.stringify(parseJson<string[]>(s.excludeDomains, [])),
      ...(segment ? [segment.param] : []),
    ],
  };
}

/**
 * Who a scenario may reach besides its filters: its segment's members (null: everyone), and only
 * contacts with granted email consent when the organization requires it.
 */
export interface Audience {
  segment: Membership | null;
  consentRequired: boolean;
}

/** The scenario's audience (404 when its segment is gone). */
export async function scenarioAudience(tenant: Tenant, s: ScenarioRow): Promise<Audience> {
  const [segment, consent] = await Promise.all([
    s.segmentId ? getSegment(tenant, s.segmentId).then((g) => membershipOf(g)) : Promise.resolve(null),
    getConsentSettings(tenant),
  ]);
  return { segment, consentRequired: consent.require_email_consent };
}

/** Subquery counting the contacts that match the SQL filters (progress denominator at start), ?1 = organization. */
export function eligibleCountSql(s: ScenarioRow, base: number, audience: Audience = EVERYONE) {
  const f = filters(s, base, audience);
  return {
    sql: `(SELECT count(*) FROM contacts c WHERE c.organization_id = ?1 AND ${f.sql})` as const,
    params: f.params,
  };
}

/** A page of matching contacts after `afterId` (id order), or among `ids`. */
export async function eligiblePage(
  tenant: Tenant,
  s: ScenarioRow,
  page: { afterId: string | null; ids?: string[]; limit: number },
  audience: Audience = EVERYONE,
): Promise<{ rows: EligibleContact[]; lastId: string | null; scanned: number }> {
  const f = filters(s, 4, audience);
  // `+organization_id` keeps the planner off the (organization, ...) indexes: walking the primary
  // key from the cursor reads about a page of rows, where the organization index would read and
  // sort every contact of the organization for each page.
  const where = page.ids ? "c.id IN (SELECT value FROM json_each(?2))" : "c.id > ?2";
  const res = await tenantSql(
    tenant,
    `SELECT c.id, c.email_normalized AS email, c.timezone FROM contacts c
       WHERE +c.organization_id = ?1 AND ${where} AND ${f.sql}
       ORDER BY c.id LIMIT ?3`,
    page.ids ? JSON.stringify(page.ids) : (page.afterId ?? ""),
    page.limit,
    ...f.params,
  ).all<EligibleContact>();
  const rows = res.results;
  return {
    rows: await withoutSuppressed(tenant, rows),
    lastId: rows[rows.length - 1]?.id ?? null,
    scanned: rows.length,
  };
}

/** Drop the contacts whose address is on the suppression list. */
export async function withoutSuppressed(tenant: Tenant, rows: EligibleContact[]): Promise<EligibleContact[]> {
  if (!rows.length) return rows;
  const hashes = await Promise.all(rows.map((r) => emailHash(r.email)));
  const found = await tenantSql(
    tenant,
    "SELECT email_hash FROM suppressions WHERE organization_id = ?1 AND email_hash IN (SELECT value FROM json_each(?2))",
    JSON.stringify(hashes),
  ).all<{ email_hash: string }>();
  const suppressed = new Set(found.results.map((r) => r.email_hash));
  return rows
    .map((r, i) => ({ ...r, email_hash: hashes[i] as string }))
    .filter((r) => !suppressed.has(r.email_hash));
}
