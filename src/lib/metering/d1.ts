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

/**
 * A statement that adds its result meta to the counters. A class (its methods on the prototype)
 * rather than a copy of the statement with closures: the bench's 50-event load made one per
 * statement, twice (prepare, bind), and the copies showed in the CPU profile.
 */
class MeteredStatement {
  constructor(
    readonly real: D1PreparedStatement,
    readonly sql: string,
  ) {}
  bind(...values: unknown[]) {
    return new MeteredStatement(this.real.bind(...values), this.sql);
  }
  async all<T>() {
    const r = await this.real.all<T>();
    addMeta(r.meta, this.sql);
    return r;
  }
  async run<T>() {
    const r = await this.real.run<T>();
    addMeta(r.meta, this.sql);
    return r;
  }
  async first(col?: string) {
    const r = await this.real.all<Record<string, unknown>>();
    addMeta(r.meta, this.sql);
    const row = r.results[0] ?? null;
    return col === undefined ? row : row ? (row[col] ?? null) : null;
  }
  // raw() returns no meta. Ask the statement's session for rows, columns and meta in one query (as
  // raw() itself does), so that duplicate column names of a join keep their place (drizzle reads
  // joins with raw()); without that internal, answer from all() (duplicate names collapse).
  async raw(opts?: { columnNames?: boolean }) {
    const internal = this.real as unknown as RawInternals;
    if (typeof internal.dbSession?._sendOrThrow === "function") {
      const out = await internal.dbSession._sendOrThrow(
        "/query",
        internal.statement,
        internal.params,
        "ROWS_AND_COLUMNS",
      );
      const r = Array.isArray(out) ? out[0] : out;
      addMeta(r?.meta, this.sql);
      const rows = r?.results?.rows ?? [];
      return opts?.columnNames ? [r?.results?.columns ?? [], ...rows] : rows;
    }
    const r = await this.real.all<Record<string, unknown>>();
    addMeta(r.meta, this.sql);
    const rows = r.results.map((row) => Object.values(row));
    if (opts?.columnNames) return [Object.keys(r.results[0] ?? {}), ...rows];
    return rows;
  }
}

const metered = (stmt: D1PreparedStatement, sql: string) =>
  new MeteredStatement(stmt, sql) as unknown as D1PreparedStatement;

export function meterD1(db: D1Database): D1Database {
  const wrapped: D1Database = Object.create(db);
  wrapped.prepare = (sql: string) => metered(db.prepare(sql), sql);
  wrapped.batch = async <T>(stmts: D1PreparedStatement[]) => {
    const list = stmts as unknown[];
    const results = await db.batch<T>(
      list.map((s) => (s instanceof MeteredStatement ? s.real : (s as D1PreparedStatement))),
    );
    for (const [i, r] of results.entries()) {
      const s = list[i];
      addMeta(r.meta, s instanceof MeteredStatement ? s.sql : undefined);
    }
    return results;
  };
  return wrapped;
}
