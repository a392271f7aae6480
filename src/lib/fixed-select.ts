/**
 * Fixed-text reads of whole rows, for the few hot reads where drizzle's query building showed in
 * the CPU profile (the EVENTS consumer under a webhook load: a rule's contact and the batch's
 * messages were a sixth of the isolate's samples). The column list comes from the drizzle table,
 * built once per table and alias; values are decoded by the columns themselves, as drizzle does,
 * so a row read here is the row `db.select().from(table)` answers.
 */
import { type Column, getTableColumns, getTableName, type Table } from "drizzle-orm";
import type { Tenant } from "./tenant";
import { asTenantSql, type TenantSqlText, tenantSql } from "./tenant-sql";

export interface RowShape<T> {
  /** `"alias"."column", ...` in the table's column order. */
  readonly list: string;
  /** How many values of a raw row are this table's. */
  readonly width: number;
  /** The row from `width` values of a raw row starting at `offset` (null when its key is null). */
  decode(values: unknown[], offset?: number): T | null;
}

const shapes = new WeakMap<Table, Map<string, RowShape<unknown>>>();

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The shape of `table`'s rows selected under `alias` (`FROM table AS alias`). */
export function rowShape<T extends Table>(table: T, alias: string): RowShape<T["$inferSelect"]> {
  let byAlias = shapes.get(table);
  if (!byAlias) {
    byAlias = new Map();
    shapes.set(table, byAlias);
  }
  const known = byAlias.get(alias);
  if (known) return known as RowShape<T["$inferSelect"]>;
  const columns = Object.entries(getTableColumns(table)) as [string, Column][];
  const keyAt = columns.findIndex(([, c]) => c.primary);
  const shape: RowShape<T["$inferSelect"]> = {
    list: columns.map(([, c]) => `${quoted(alias)}.${quoted(c.name)}`).join(", "),
    width: columns.length,
    decode(values, offset = 0) {
      if (values[offset + Math.max(0, keyAt)] === null) return null;
      const row: Record<string, unknown> = {};
      for (const [i, [key, column]] of columns.entries()) {
        const v = values[offset + i];
        row[key] = v === null || v === undefined ? null : column.mapFromDriverValue(v);
      }
      return row as T["$inferSelect"];
    },
  };
  byAlias.set(alias, shape as RowShape<unknown>);
  return shape;
}

const byIdsTexts = new WeakMap<Table, (n: number) => TenantSqlText>();

/**
 * Rows of a table with `id` and `organization_id` columns, by id (at most 90: one bound value
 * each), in the tenant. Each id is one key seek (EXPLAIN QUERY PLAN: the id's unique index, or the
 * (organization_id, id) key).
 */
export async function rowsByIds<T extends Table>(
  tenant: Tenant,
  table: T,
  ids: string[],
): Promise<T["$inferSelect"][]> {
  if (!ids.length) return [];
  const shape = rowShape(table, "t");
  let text = byIdsTexts.get(table);
  if (!text) {
    const from = `SELECT ${shape.list} FROM ${quoted(getTableName(table))} AS "t"`;
    text = textPerCount(
      (n) => `${from} WHERE "t".organization_id = ?1 AND "t".id IN (${placeholders(2, n)})`,
    );
    byIdsTexts.set(table, text);
  }
  const rows = await tenantSql(tenant, text(ids.length), ...ids).raw();
  return rows.map((values) => shape.decode(values) as T["$inferSelect"]);
}

/** One row by id in the tenant (rowsByIds); undefined when none. */
export const rowById = async <T extends Table>(
  tenant: Tenant,
  table: T,
  id: string,
): Promise<T["$inferSelect"] | undefined> => (await rowsByIds(tenant, table, [id]))[0];

/**
 * `?from, ?from+1, ...` for an IN list of `n` values (D1 binds 100 at most). Bound values rather
 * than one JSON parameter read through json_each: json_each's rows count as rows read.
 */
export const placeholders = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `?${from + i}`).join(", ");

/** Tenant SQL text that depends on a number of values (an IN list), built once per number. */
export function textPerCount(build: (n: number) => string): (n: number) => TenantSqlText {
  const texts = new Map<number, TenantSqlText>();
  return (n) => {
    let text = texts.get(n);
    if (!text) {
      text = asTenantSql(build(n));
      texts.set(n, text);
    }
    return text;
  };
}
