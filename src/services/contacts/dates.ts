/**
 * Contacts whose date attribute falls on a day: `offset_days` before today (UTC) — on the same
 * month and day every year when `yearly` (a birthday), on that exact date otherwise (a renewal).
 * The attribute is YYYY-MM-DD or an ISO-8601 date-time. Read by the date_reached rules and the
 * journeys with a date entry, a page of ids at a time.
 */
import type { Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";

const PAGE = 500;
const DAY_MS = 86_400_000;
export const DATE_ATTRIBUTE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export interface DateMatch {
  attribute: string;
  offset_days?: number;
  yearly?: boolean;
}

/** The target date (YYYY-MM-DD) of a match today. */
export const targetDate = (m: DateMatch, at: number) =>
  new Date(at - (m.offset_days ?? 0) * DAY_MS).toISOString().slice(0, 10);

/** Pages of subscribed contact ids (id order) whose attribute matches today. */
export async function* contactsOnDate(tenant: Tenant, m: DateMatch, at: number): AsyncGenerator<string[]> {
  if (!DATE_ATTRIBUTE.test(m.attribute)) return;
  const target = targetDate(m, at);
  const match = m.yearly
    ? "substr(json_extract(c.attributes, ?3), 6, 5) = ?4"
    : "substr(json_extract(c.attributes, ?3), 1, 10) = ?4";
  let after = "";
  for (;;) {
    const page = await tenantSql(
      tenant,
      `SELECT c.id FROM contacts c WHERE +c.organization_id = ?1 AND c.id > ?2 AND c.status = 'subscribed'
           AND json_type(c.attributes, ?3) = 'text' AND ${match}
         ORDER BY c.id LIMIT ?5`,
      after,
      `$."${m.attribute}"`,
      m.yearly ? target.slice(5) : target,
      PAGE,
    ).all<{ id: string }>();
    const ids = page.results.map((r) => r.id);
    if (ids.length) yield ids;
    const last = ids.at(-1);
    if (!last || ids.length < PAGE) return;
    after = last;
  }
}
