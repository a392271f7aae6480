/**
 * Reading a segment's contacts: one SQL expression per segment over the contacts table (alias `c`),
 * counted, sampled, or walked in keyset pages by contact id (never OFFSET), so a segment of a
 * million contacts is read a page at a time.
 */
import { now } from "../../lib/clock";
import { parseJson } from "../../lib/json";
import type { Tenant } from "../../lib/tenant";
import { bindCriteria, compileCriteria } from "./criteria";
import type { Criteria } from "./types";
import type { SegmentRow } from "./store";
import type { ContactRow } from "../contacts/types";
import { tenantSql } from "../../lib/tenant-sql";

/** A segment's membership as an SQL expression and its one parameter. */
export interface Membership {
  sql: string;
  param: string;
}

export function membershipOf(segment: Pick<SegmentRow, "id" | "type" | "criteria">, at = now()): Membership {
  if (segment.type === "static")
    return {
      sql: "c.id IN (SELECT m.contact_id FROM segment_members m WHERE m.segment_id = (@P ->> '$[0]'))",
      param: JSON.stringify([segment.id]),
    };
  return compileCriteria(parseJson<Criteria>(segment.criteria ?? "", { logic: "and", conditions: [] }), at);
}

export const criteriaMembership = (criteria: Criteria, at = now()): Membership =>
  compileCriteria(criteria, at);

/** Any of the memberships (OR), numbered from `?first`: the SQL and the parameters in order. */
export function anyOf(list: Membership[], first: number): { sql: string; params: string[] } {
  if (!list.length) return { sql: "0", params: [] };
  return {
    sql: `(${list.map((m, i) => `(${bindCriteria(m, first + i)})`).join(" OR ")})`,
    params: list.map((m) => m.param),
  };
}

export async function countMembers(tenant: Tenant, m: Membership): Promise<number> {
  const row = await tenantSql(
    tenant,
    `SELECT count(*) AS n FROM contacts c WHERE c.organization_id = ?1 AND ${bindCriteria(m, 2)}`,
    m.param,
  ).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Raw contacts rows (snake_case columns) as drizzle's row type. */
export function toRow(r: Record<string, unknown>): ContactRow {
  return {
    id: r.id,
    organizationId: r.organization_id,
    email: r.email,
    emailNormalized: r.email_normalized,
    firstName: r.first_name,
    lastName: r.last_name,
    phone: r.phone,
    timezone: r.timezone,
    tags: r.tags,
    attributes: r.attributes,
    status: r.status,
    lifecycleStage: r.lifecycle_stage,
    score: r.score,
    validationScore: r.validation_score,
    deliverable: r.deliverable === null ? null : r.deliverable === 1,
    lastEventAt: r.last_event_at,
    lastSentAt: r.last_sent_at,
    lastOpenedAt: r.last_opened_at,
    lastClickedAt: r.last_clicked_at,
    purchaseCount: r.purchase_count,
    totalSpent: r.total_spent,
    lastPurchaseAt: r.last_purchase_at,
    rfmSegment: r.rfm_segment,
    rfmPreviousSegment: r.rfm_previous_segment,
    rfmScore: r.rfm_score,
    rfm: r.rfm,
    fitScore: r.fit_score,
    consents: r.consents,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  } as ContactRow;
}

/**
 * A page of matching contacts after `afterId`, in id order. `+organization_id` keeps SQLite on the
 * primary key (a page reads about a page of rows) instead of the organization's email index.
 */
export async function pageMembers(
  tenant: Tenant,
  m: Membership,
  afterId: string | null,
  limit: number,
): Promise<ContactRow[]> {
  const res = await tenantSql(
    tenant,
    `SELECT c.* FROM contacts c WHERE +c.organization_id = ?1 AND c.id > ?2 AND ${bindCriteria(m, 4)}
       ORDER BY c.id LIMIT ?3`,
    afterId ?? "",
    limit,
    m.param,
  ).all<Record<string, unknown>>();
  return res.results.map(toRow);
}

/** Up to `n` matching contacts (the first by id). */
export const sampleMembers = (tenant: Tenant, m: Membership, n = 20) => pageMembers(tenant, m, null, n);

const DAY = 86_400_000;

export async function segmentStats(tenant: Tenant, m: Membership) {
  const since = now() - 30 * DAY;
  const row = await tenantSql(
    tenant,
    `SELECT count(*) AS contact_count, avg(c.score) AS average_score,
         sum(CASE WHEN c.last_opened_at >= ?3 THEN 1 ELSE 0 END) AS opened_30d,
         sum(CASE WHEN c.last_clicked_at >= ?3 THEN 1 ELSE 0 END) AS clicked_30d,
         sum(CASE WHEN c.purchase_count > 0 THEN 1 ELSE 0 END) AS purchasers
       FROM contacts c WHERE c.organization_id = ?1 AND ${bindCriteria(m, 2)}`,
    m.param,
    since,
  ).first<Record<string, number | null>>();
  return {
    contact_count: row?.contact_count ?? 0,
    average_score:
      row?.average_score === null || row?.average_score === undefined
        ? 0
        : Math.round(row.average_score * 100) / 100,
    opened_30d: row?.opened_30d ?? 0,
    clicked_30d: row?.clicked_30d ?? 0,
    purchasers: row?.purchasers ?? 0,
  };
}
