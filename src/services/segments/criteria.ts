/**
 * Segment criteria: `{logic: "and"|"or", conditions: [{field, operator, value} | {logic, conditions}]}`,
 * at most 5 levels and 100 conditions. `checkCriteria` names the path of every problem (the API
 * answers 422 with them); `compileCriteria` turns valid criteria into one SQL expression over the
 * contacts table (alias `c`) whose every value comes from a single bound JSON parameter.
 */
import { fieldSpec, type Operator } from "./fields";
import type { Condition, Criteria, Group } from "./types";

const DAY_MS = 86_400_000;

/** SQL built with every value in one JSON array parameter, written `@P` until bound. */
class Values {
  readonly list: unknown[] = [];
  /** A scalar value. */
  v(value: unknown): string {
    this.list.push(typeof value === "boolean" ? (value ? 1 : 0) : value);
    return `(@P ->> '$[${this.list.length - 1}]')`;
  }
  /** A list, to read with `IN (SELECT value FROM ...)`. */
  each(values: unknown[]): string {
    this.list.push(values.map((x) => (typeof x === "boolean" ? (x ? 1 : 0) : x)));
    return `(SELECT value FROM json_each(@P, '$[${this.list.length - 1}]'))`;
  }
}

export interface CompiledCriteria {
  /** An SQL expression over contacts `c`, with `@P` where its parameter goes (see bindCriteria). */
  sql: string;
  /** The single parameter: a JSON array of every value. */
  param: string;
}

const ms = (iso: unknown) => Date.parse(String(iso));

function compileCondition(c: Condition, q: Values, now: number): string {
  const spec = fieldSpec(c.field);
  if (!spec) throw new Error(`unknown field ${c.field}`);
  const { value } = c;
  if (spec.kind === "tags") return compileTags(spec.sql, c.operator, value, q);
  if (spec.kind === "attribute") return compileAttribute(spec.sql, c.operator, value, q, now);
  const isText = spec.kind === "string";
  // Text compares case-insensitively; dates are epoch ms columns compared with the parsed value.
  const col = isText ? `lower(${spec.sql})` : spec.sql;
  const val = (v: unknown) => (spec.kind === "date" ? q.v(ms(v)) : isText ? `lower(${q.v(v)})` : q.v(v));
  switch (c.operator) {
    case "eq":
      return `${col} = ${val(value)}`;
    case "neq":
      return `(${col} IS NULL OR ${col} <> ${val(value)})`;
    case "in":
      return isText
        ? `${col} IN (SELECT lower(value) FROM json_each(@P, '$[${pushList(q, value)}]'))`
        : `${col} IN ${q.each(value as unknown[])}`;
    case "not_in":
      return isText
        ? `(${col} IS NULL OR ${col} NOT IN (SELECT lower(value) FROM json_each(@P, '$[${pushList(q, value)}]')))`
        : `(${col} IS NULL OR ${col} NOT IN ${q.each(value as unknown[])})`;
    case "contains":
      return `instr(${col}, ${val(value)}) > 0`;
    case "not_contains":
      return `(${col} IS NULL OR instr(${col}, ${val(value)}) = 0)`;
    case "starts_with":
      return `substr(${col}, 1, length(${val(value)})) = ${val(value)}`;
    case "gt":
      return `${col} > ${val(value)}`;
    case "gte":
      return `${col} >= ${val(value)}`;
    case "lt":
      return `${col} < ${val(value)}`;
    case "lte":
      return `${col} <= ${val(value)}`;
    case "between": {
      const [a, b] = value as [unknown, unknown];
      return `${col} BETWEEN ${val(a)} AND ${val(b)}`;
    }
    case "exists":
      return `${spec.sql} IS NOT NULL`;
    case "not_exists":
      return `${spec.sql} IS NULL`;
    case "within_last_days":
      return `${col} >= ${q.v(now - (value as number) * DAY_MS)}`;
    case "more_than_days_ago":
      return `${col} < ${q.v(now - (value as number) * DAY_MS)}`;
  }
}

function pushList(q: Values, value: unknown): number {
  q.list.push(value);
  return q.list.length - 1;
}

function compileTags(col: string, op: Operator, value: unknown, q: Values): string {
  const has = (v: string) => `EXISTS (SELECT 1 FROM json_each(${col}) t WHERE lower(t.value) = lower(${v}))`;
  switch (op) {
    case "contains":
      return has(q.v(value));
    case "not_contains":
      return `NOT ${has(q.v(value))}`;
    case "in":
      return `EXISTS (SELECT 1 FROM json_each(${col}) t WHERE lower(t.value) IN (SELECT lower(value) FROM json_each(@P, '$[${pushList(q, value)}]')))`;
    case "not_in":
      return `NOT EXISTS (SELECT 1 FROM json_each(${col}) t WHERE lower(t.value) IN (SELECT lower(value) FROM json_each(@P, '$[${pushList(q, value)}]')))`;
    case "exists":
      return `json_array_length(${col}) > 0`;
    default:
      return `json_array_length(${col}) = 0`;
  }
}

/** `attributes.<key>`: the JSON type is checked before comparing, so "10" never equals 10. */
function compileAttribute(path: string, op: Operator, value: unknown, q: Values, now: number): string {
  const p = q.v(path);
  const type = `json_type(c.attributes, ${p})`;
  const raw = `json_extract(c.attributes, ${p})`;
  const numeric = `${type} IN ('integer', 'real')`;
  const text = `${type} = 'text'`;
  const matches = (v: unknown) =>
    typeof v === "number"
      ? `(${numeric} AND ${raw} = ${q.v(v)})`
      : typeof v === "boolean"
        ? `${type} = '${v ? "true" : "false"}'`
        : `(${text} AND lower(${raw}) = lower(${q.v(v)}))`;
  const epoch = `(CAST(strftime('%s', ${raw}) AS INTEGER) * 1000)`;
  switch (op) {
    case "eq":
      return matches(value);
    case "neq":
      return `NOT coalesce(${matches(value)}, 0)`;
    case "in":
      return `(${(value as unknown[]).map(matches).join(" OR ")})`;
    case "not_in":
      return `NOT coalesce((${(value as unknown[]).map(matches).join(" OR ")}), 0)`;
    case "contains":
      return `(${text} AND instr(lower(${raw}), lower(${q.v(value)})) > 0)`;
    case "not_contains":
      return `NOT coalesce((${text} AND instr(lower(${raw}), lower(${q.v(value)})) > 0), 0)`;
    case "starts_with":
      return `(${text} AND substr(lower(${raw}), 1, length(${q.v(value)})) = lower(${q.v(value)}))`;
    case "gt":
      return `(${numeric} AND ${raw} > ${q.v(value)})`;
    case "gte":
      return `(${numeric} AND ${raw} >= ${q.v(value)})`;
    case "lt":
      return `(${numeric} AND ${raw} < ${q.v(value)})`;
    case "lte":
      return `(${numeric} AND ${raw} <= ${q.v(value)})`;
    case "between": {
      const [a, b] = value as [number, number];
      return `(${numeric} AND ${raw} BETWEEN ${q.v(a)} AND ${q.v(b)})`;
    }
    case "exists":
      return `coalesce(${type}, 'null') <> 'null'`;
    case "not_exists":
      return `coalesce(${type}, 'null') = 'null'`;
    case "within_last_days":
      return `(${text} AND ${epoch} >= ${q.v(now - (value as number) * DAY_MS)})`;
    case "more_than_days_ago":
      return `(${text} AND ${epoch} < ${q.v(now - (value as number) * DAY_MS)})`;
  }
}

function compileGroup(g: Group, q: Values, now: number): string {
  const parts = g.conditions.map((c) =>
    "conditions" in c ? compileGroup(c, q, now) : `(${compileCondition(c, q, now)})`,
  );
  return `(${parts.join(g.logic === "and" ? " AND " : " OR ")})`;
}

/** One SQL expression for valid criteria (check them first); `now` anchors the days operators. */
export function compileCriteria(criteria: Criteria, now: number): CompiledCriteria {
  const q = new Values();
  const body = compileGroup(criteria, q, now);
  // The parameter is always bound, so it must appear even when no condition has a value.
  const sql = body.includes("@P") ? body : `(${body} AND @P IS NOT NULL)`;
  return { sql, param: JSON.stringify(q.list) };
}

/** The expression with its parameter at `?n`. */
export const bindCriteria = (c: { sql: string }, n: number) => c.sql.replaceAll("@P", `?${n}`);
