import type { Tenant } from "../../../lib/tenant";
import { tenantSql } from "../../../lib/tenant-sql";

/** What marks a stored event applied: its normalized JSON and the contact and message it named. */
export interface AppliedMark {
  id: string;
  /** `events.normalized`: the AppliedEvent's JSON, or "null" for an event with nothing to apply. */
  normalized: string;
  contact_id: string | null;
  message_id: string | null;
}

/**
 * Bytes of marks per statement at most. D1 takes a value of up to 2 MB; an event's normalized JSON
 * is usually well under a kilobyte, so a 200-statement write's marks fit in one statement.
 */
const MARK_BYTES = 512 * 1024;

/**
 * The statements that mark events applied (`normalized`, the ids it resolved, `processed_at`), the
 * last of a write: every other statement of an event is guarded by "its row not applied yet", and
 * the guard holds until the mark, so the EVENTS consumer marks a whole write's events in one
 * statement (one row each, as before) instead of one statement per event, a statement per
 * MARK_BYTES of marks.
 */
export function markStatements(tenant: Tenant, marks: AppliedMark[], at: number): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  let part: string[] = [];
  let bytes = 0;
  for (const m of marks) {
    const json = JSON.stringify(m);
    if (part.length && bytes + json.length > MARK_BYTES) {
      out.push(markStatement(tenant, part, at));
      part = [];
      bytes = 0;
    }
    part.push(json);
    bytes += json.length;
  }
  if (part.length) out.push(markStatement(tenant, part, at));
  return out;
}

/**
 * One statement for marks given as JSON texts. A mark never overwrites another
 * (`normalized IS NULL`). `MATERIALIZED` makes SQLite walk the marks and look each event up by its
 * key; without it the planner scanned the organization's events.
 */
export const markStatement = (tenant: Tenant, marks: string[], at: number): D1PreparedStatement =>
  tenantSql(
    tenant,
    `WITH applied_marks AS MATERIALIZED (SELECT value ->> 'id' AS id, value ->> 'normalized' AS normalized,
         value ->> 'contact_id' AS contact_id, value ->> 'message_id' AS message_id FROM json_each(?3))
     UPDATE events SET normalized = j.normalized, contact_id = j.contact_id, message_id = j.message_id,
         processed_at = ?2
       FROM applied_marks AS j WHERE events.organization_id = ?1 AND events.id = j.id AND events.normalized IS NULL`,
    at,
    `[${marks.join(",")}]`,
  );
