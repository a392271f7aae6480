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

/** The values a change binds, in the order its term numbers them. */
const valuesOf = (c: ColumnChange): unknown[] => {
  switch (c.op) {
    case "earliest":
    case "latest":
      return [c.at];
    case "add":
    case "addFloor0":
      return [c.by];
    case "set":
      return [c.value];
    case "raise":
      return [c.rank, c.to];
  }
};

/** One SET term, its values numbered from `n` (as valuesOf gives them). */
function term(column: string, c: ColumnChange, n: number): string {
  if (!COLUMN.test(column)) throw new Error(`guardedUpdate: bad column ${column}`);
  const col = `"${column}"`;
  switch (c.op) {
    case "earliest":
      return `${col} = min(coalesce(${col}, ?${n}), ?${n})`;
    case "latest":
      return `${col} = max(coalesce(${col}, ?${n}), ?${n})`;
    case "add":
      return `${col} = ${col} + ?${n}`;
    case "addFloor0":
      return `${col} = max(0, ${col} + ?${n})`;
    case "set":
      return `${col} = ?${n}`;
    case "raise":
      return `${col} = case when ${c.ladder} < ?${n} then ?${n + 1} else ${col} end`;
  }
}

/** The statement text of each shape (table, columns and their kinds of change), built once. */
const texts = new Map<string, TenantSqlText>();

/**
 * The text of a shape: ?1 organization, ?2 updated_at, ?3 the row's id, ?4 the event's id, then
 * the changes' values from ?5.
 */
function textOf(table: string, changes: ColumnChanges, key: string): TenantSqlText {
  let n = 5;
  const terms = Object.entries(changes).map(([column, change]) => {
    const t = term(column, change, n);
    n += valuesOf(change).length;
    return t;
  });
  const text = asTenantSql(
    `UPDATE ${table} SET ${terms.join(", ")}, updated_at = ?2 WHERE organization_id = ?1 AND id = ?3
       AND EXISTS (SELECT 1 FROM events e WHERE e.organization_id = ?1 AND e.id = ?4 AND e.normalized IS NULL)`,
  );
  texts.set(key, text);
  return text;
}

/**
 * `UPDATE table SET ... WHERE organization_id AND id AND the event is not applied yet`, as a fixed
 * text per shape with the values bound: what an event writes to its message and its contact. The
 * query builder rebuilt this text for every event (a third of the EVENTS consumer's CPU under a
 * 50-event webhook load); here it is built once per shape and process, and an event only binds.
 */
export function guardedUpdate(
  tenant: Tenant,
  table: "messages" | "contacts",
  id: string,
  changes: ColumnChanges,
  eventId: string,
  at: number,
): D1PreparedStatement {
  const params: unknown[] = [at, id, eventId];
  let key: string = table;
  for (const [column, change] of Object.entries(changes)) {
    params.push(...valuesOf(change));
    key += `|${column}:${change.op}`;
  }
  return tenantSql(tenant, texts.get(key) ?? textOf(table, changes, key), ...params);
}
