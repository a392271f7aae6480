import type { Tenant } from "../../../lib/tenant";
import { asTenantSql, type TenantSqlText, tenantSql } from "../../../lib/tenant-sql";

/**
 * How an event changes one column of its message or contact:
 * - `earliest` / `latest`: a first or last timestamp (null becomes the event's time);
 * - `add`: a counter; `addFloor0`: the score, never below 0;
 * - `set`: a plain value;
 * - `raise`: a status that only moves up its ladder (`ladder` is the column's rank expression, the
 *   same text for every change of that column; `rank` is the rank of `to`).
 */
export type ColumnChange =
  | { op: "earliest" | "latest"; at: number }
  | { op: "add" | "addFloor0"; by: number }
  | { op: "set"; value: string | number | null }
  | { op: "raise"; ladder: string; rank: number; to: string };

/** Column name -> change, in the order they are written. */
export type ColumnChanges = Record<string, ColumnChange>;

const COLUMN = /^[a-z_]+$/;

/** One SET term and its parameters, numbered from `n`. */
function term(column: string, c: ColumnChange, n: number): { text: string; params: unknown[] } {
  const col = `"${column}"`;
  switch (c.op) {
    case "earliest":
      return { text: `${col} = min(coalesce(${col}, ?${n}), ?${n})`, params: [c.at] };
    case "latest":
      return { text: `${col} = max(coalesce(${col}, ?${n}), ?${n})`, params: [c.at] };
    case "add":
      return { text: `${col} = ${col} + ?${n}`, params: [c.by] };
    case "addFloor0":
      return { text: `${col} = max(0, ${col} + ?${n})`, params: [c.by] };
    case "set":
      return { text: `${col} = ?${n}`, params: [c.value] };
    case "raise":
      return {
        text: `${col} = case when ${c.ladder} < ?${n} then ?${n + 1} else ${col} end`,
        params: [c.rank, c.to],
      };
  }
}

/** The statement text of each shape (table, columns and their kinds of change), built once. */
const texts = new Map<string, TenantSqlText>();

/**
 * `UPDATE table SET ... WHERE organization_id AND id AND the event is not applied yet`, as a fixed
 * text per shape with the values bound: what an event writes to its message and its contact. The
 * query builder rebuilt this text for every event (a third of the EVENTS consumer's CPU under a
 * 50-event webhook load); here it is built once per shape and process.
 */
export function guardedUpdate(
  tenant: Tenant,
  table: "messages" | "contacts",
  id: string,
  changes: ColumnChanges,
  eventId: string,
  at: number,
): D1PreparedStatement {
  // ?1 organization, ?2 updated_at, ?3 the row's id, ?4 the event's id; the changes from ?5.
  const params: unknown[] = [at, id, eventId];
  const terms: string[] = [];
  let key = table;
  for (const [column, change] of Object.entries(changes)) {
    if (!COLUMN.test(column)) throw new Error(`guardedUpdate: bad column ${column}`);
    const t = term(column, change, params.length + 2);
    terms.push(t.text);
    params.push(...t.params);
    key += `|${column}:${change.op}`;
  }
  let text = texts.get(key);
  if (!text) {
    text = asTenantSql(
      `UPDATE ${table} SET ${terms.join(", ")}, updated_at = ?2 WHERE organization_id = ?1 AND id = ?3
         AND EXISTS (SELECT 1 FROM events e WHERE e.organization_id = ?1 AND e.id = ?4 AND e.normalized IS NULL)`,
    );
    texts.set(key, text);
  }
  return tenantSql(tenant, text, ...params);
}
