/** D1 metering: a D1Database whose statements add their result meta to the usage counters. */
import { addMeta, type Meta } from "./usage";

/** workerd's D1PreparedStatement fields that raw() itself uses (bench-only path, checked at runtime). */
interface RawInternals {
  statement: string;
  params: unknown[];
  dbSession?: {
    _sendOrThrow?: (
      endpoint: string,
      query: string,
      params: unknown[],
      format: string,
    ) => Promise<RawResult | RawResult[]>;
  };
}
interface RawResult {
  meta?: Meta;
  results?: { columns?: string[]; rows?: unknown[][] };
}

const realStatement = new WeakMap<object, D1PreparedStatement>();
const sqlOf = new WeakMap<object, string>();

function meterStatement(stmt: D1PreparedStatement, sql: string): D1PreparedStatement {
  const wrapped: D1PreparedStatement = Object.create(stmt);
  realStatement.set(wrapped, stmt);
  sqlOf.set(wrapped, sql);
  wrapped.bind = (...values: unknown[]) => meterStatement(stmt.bind(...values), sql);
  wrapped.all = async <T>() => {
    const r = await stmt.all<T>();
    addMeta(r.meta, sql);
    return r;
  };
  wrapped.run = async <T>() => {
    const r = await stmt.run<T>();
    addMeta(r.meta, sql);
    return r;
  };
  wrapped.first = (async (col?: string) => {
    const r = await stmt.all<Record<string, unknown>>();
    addMeta(r.meta, sql);
    const row = r.results[0] ?? null;
    return col === undefined ? row : row ? (row[col] ?? null) : null;
  }) as D1PreparedStatement["first"];
  // raw() returns no meta. Ask the statement's session for rows, columns and meta in one query (as
  // raw() itself does), so that duplicate column names of a join keep their place (drizzle reads
  // joins with raw()); without that internal, answer from all() (duplicate names collapse).
  wrapped.raw = (async (opts?: { columnNames?: boolean }) => {
    const internal = stmt as unknown as RawInternals;
    if (typeof internal.dbSession?._sendOrThrow === "function") {
      const out = await internal.dbSession._sendOrThrow(
        "/query",
        internal.statement,
        internal.params,
        "ROWS_AND_COLUMNS",
      );
      const r = Array.isArray(out) ? out[0] : out;
      addMeta(r?.meta, sql);
      const rows = r?.results?.rows ?? [];
      return opts?.columnNames ? [r?.results?.columns ?? [], ...rows] : rows;
    }
    const r = await stmt.all<Record<string, unknown>>();
    addMeta(r.meta, sql);
    const rows = r.results.map((row) => Object.values(row));
    if (opts?.columnNames) return [Object.keys(r.results[0] ?? {}), ...rows];
    return rows;
  }) as D1PreparedStatement["raw"];
  return wrapped;
}

export function meterD1(db: D1Database): D1Database {
  const wrapped: D1Database = Object.create(db);
  wrapped.prepare = (sql: string) => meterStatement(db.prepare(sql), sql);
  wrapped.batch = async <T>(stmts: D1PreparedStatement[]) => {
    const results = await db.batch<T>(stmts.map((s) => realStatement.get(s) ?? s));
    for (const [i, r] of results.entries()) addMeta(r.meta, sqlOf.get(stmts[i] as object));
    return results;
  };
  return wrapped;
}
