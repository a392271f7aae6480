/**
 * Usage metering for the benchmarks (`npm run bench`): when the `METERING` var is "on", the Worker
 * counts the billable units it uses (invocations, D1 rows read/written, Durable Object requests,
 * queue operations) in isolate memory, readable at GET /api/v1/admin/metrics. Off (the default),
 * every function here returns its input unchanged.
 */
export interface Usage {
  workerRequests: number;
  d1Queries: number;
  d1RowsRead: number;
  d1RowsWritten: number;
  doRequests: number;
  doAlarms: number;
  doRowsRead: number;
  doRowsWritten: number;
  queueWrites: number;
  queueReads: number;
  queueDeletes: number;
  queueRetries: number;
}

const zero = (): Usage => ({
  workerRequests: 0,
  d1Queries: 0,
  d1RowsRead: 0,
  d1RowsWritten: 0,
  doRequests: 0,
  doAlarms: 0,
  doRowsRead: 0,
  doRowsWritten: 0,
  queueWrites: 0,
  queueReads: 0,
  queueDeletes: 0,
  queueRetries: 0,
});

let usage = zero();

/** D1 usage per SQL text (whitespace collapsed), to see which statements write the rows. */
export interface StatementUsage {
  sql: string;
  queries: number;
  rowsRead: number;
  rowsWritten: number;
}
const MAX_STATEMENTS = 500;
let statements = new Map<string, StatementUsage>();

/** METERING is an optional var (not declared in wrangler.toml): read it off any env object. */
export const meteringOn = (env: object) => (env as { METERING?: unknown }).METERING === "on";
export const readUsage = (): Usage => ({ ...usage });
export const resetUsage = () => {
  usage = zero();
  statements = new Map();
};
/** The statements that wrote (then read) the most rows since the last reset. */
export const readStatements = (limit = 50): StatementUsage[] =>
  [...statements.values()]
    .sort((a, b) => b.rowsWritten - a.rowsWritten || b.rowsRead - a.rowsRead)
    .slice(0, limit);
export function count(key: keyof Usage, n = 1) {
  usage[key] += n;
}

interface Meta {
  rows_read?: number;
  rows_written?: number;
}
const addMeta = (meta: Meta | undefined, sql: string | undefined) => {
  const read = meta?.rows_read ?? 0;
  const written = meta?.rows_written ?? 0;
  usage.d1Queries++;
  usage.d1RowsRead += read;
  usage.d1RowsWritten += written;
  let key = (sql ?? "?").replace(/\s+/g, " ").trim().slice(0, 300);
  if (!statements.has(key) && statements.size >= MAX_STATEMENTS) key = "(other statements)";
  const entry = statements.get(key) ?? { sql: key, queries: 0, rowsRead: 0, rowsWritten: 0 };
  entry.queries++;
  entry.rowsRead += read;
  entry.rowsWritten += written;
  statements.set(key, entry);
};

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

function meterD1(db: D1Database): D1Database {
  const wrapped: D1Database = Object.create(db);
  wrapped.prepare = (sql: string) => meterStatement(db.prepare(sql), sql);
  wrapped.batch = async <T>(stmts: D1PreparedStatement[]) => {
    const results = await db.batch<T>(stmts.map((s) => realStatement.get(s) ?? s));
    for (const [i, r] of results.entries()) addMeta(r.meta, sqlOf.get(stmts[i] as object));
    return results;
  };
  return wrapped;
}

function meterQueue<T>(queue: Queue<T>): Queue<T> {
  const wrapped: Queue<T> = Object.create(queue);
  wrapped.send = (body, opts) => {
    usage.queueWrites++;
    return queue.send(body, opts);
  };
  wrapped.sendBatch = (msgs, opts) => {
    usage.queueWrites += [...msgs].length;
    return queue.sendBatch(msgs, opts);
  };
  return wrapped;
}

/** Every RPC method call on a stub is one billed Durable Object request. */
function meterStub<S extends object>(stub: S): S {
  return new Proxy(stub, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function" || prop === "then") return value;
      return (...args: unknown[]) => {
        usage.doRequests++;
        return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
      };
    },
  });
}

/** get()/getByName() answer metered stubs; every other method runs on the real namespace (native: bound). */
function meterNamespace<T extends Rpc.DurableObjectBranded | undefined>(
  ns: DurableObjectNamespace<T>,
): DurableObjectNamespace<T> {
  return new Proxy(ns, {
    get(target, prop) {
      if (prop === "get")
        return (id: DurableObjectId, opts?: DurableObjectNamespaceGetDurableObjectOptions) =>
          meterStub(target.get(id, opts));
      if (prop === "getByName")
        return (name: string, opts?: DurableObjectNamespaceGetDurableObjectOptions) =>
          meterStub(target.getByName(name, opts));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Metered wrappers made so far: a binding is wrapped once, and a wrapper is never wrapped again. */
const wrapperOf = new WeakMap<object, object>();
const wrappers = new WeakSet<object>();
const envOf = new WeakMap<object, object>();

function wrapOnce<B extends object>(binding: B, wrap: (b: B) => B): B {
  if (wrappers.has(binding)) return binding;
  const known = wrapperOf.get(binding);
  if (known) return known as B;
  const w = wrap(binding);
  wrapperOf.set(binding, w);
  wrappers.add(w);
  return w;
}

/**
 * The env with its bindings metered (when METERING is on); the same env otherwise. Idempotent: a
 * metered env (or binding) passed again is not wrapped twice, and the same env object answers the
 * same metered env (so per-env caches such as configOf keep working).
 */
export function meteredEnv<E extends object>(env: E): E {
  if (!meteringOn(env)) return env;
  if (wrappers.has(env)) return env;
  const known = envOf.get(env);
  if (known) return known as E;
  const out: Record<string, unknown> = { ...(env as Record<string, unknown>) };
  for (const [k, v] of Object.entries(env)) {
    if (!v || typeof v !== "object") continue;
    if ("prepare" in v && "batch" in v) out[k] = wrapOnce(v as D1Database, meterD1);
    else if ("sendBatch" in v) out[k] = wrapOnce(v as Queue, meterQueue);
    else if ("idFromName" in v) out[k] = wrapOnce(v as DurableObjectNamespace, meterNamespace);
  }
  envOf.set(env, out);
  wrappers.add(out);
  return out as E;
}

/** Count one unit when metering is on (Durable Object alarms, Worker invocations). */
export function countFor(env: object, key: keyof Usage, n = 1) {
  if (meteringOn(env)) usage[key] += n;
}

/**
 * A queue batch whose messages count their billed operations: each delivery is a read, an ack (or
 * the implicit ack of a handler that returns) a delete, a retry (or the implicit one of a handler
 * that throws) a retry. Off, `run` gets the batch itself.
 */
export async function meterQueueBatch<B>(
  env: object,
  batch: MessageBatch<B>,
  run: (batch: MessageBatch<B>) => Promise<void>,
): Promise<void> {
  if (!meteringOn(env)) return run(batch);
  const state = new Map<Message<B>, "ack" | "retry">();
  const settleAll = (to: "ack" | "retry") => {
    for (const m of batch.messages) if (!state.has(m)) state.set(m, to);
  };
  const messages = batch.messages.map(
    (m) =>
      new Proxy(m, {
        get(target, prop) {
          if (prop === "ack")
            return () => (state.has(target) ? undefined : state.set(target, "ack"), target.ack());
          if (prop === "retry")
            return (opts?: QueueRetryOptions) => (
              state.has(target) ? undefined : state.set(target, "retry"), target.retry(opts)
            );
          const value = Reflect.get(target, prop);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }),
  );
  const metered = new Proxy(batch, {
    get(target, prop) {
      if (prop === "messages") return messages;
      if (prop === "ackAll") return () => (settleAll("ack"), target.ackAll());
      if (prop === "retryAll")
        return (opts?: QueueRetryOptions) => (settleAll("retry"), target.retryAll(opts));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  usage.workerRequests++;
  usage.queueReads += batch.messages.length;
  try {
    await run(metered);
    settleAll("ack");
  } catch (e) {
    settleAll("retry");
    throw e;
  } finally {
    for (const to of state.values()) {
      if (to === "ack") usage.queueDeletes++;
      else usage.queueRetries++;
    }
  }
}

/**
 * A Durable Object's SQLite handle that counts rows read and written (from each cursor, as it is
 * read: the rows a statement reads are known only once its cursor is consumed). Off, `sql` itself.
 */
export function meteredSql(sql: SqlStorage, env: object): SqlStorage {
  if (!meteringOn(env)) return sql;
  return new Proxy(sql, {
    get(target, prop) {
      if (prop === "exec")
        return (query: string, ...bindings: unknown[]) => meterCursor(target.exec(query, ...bindings));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function meterCursor<T extends Record<string, SqlStorageValue>>(
  cursor: SqlStorageCursor<T>,
): SqlStorageCursor<T> {
  let read = 0;
  let written = 0;
  const settle = () => {
    usage.doRowsRead += cursor.rowsRead - read;
    usage.doRowsWritten += cursor.rowsWritten - written;
    read = cursor.rowsRead;
    written = cursor.rowsWritten;
  };
  settle();
  const proxy: SqlStorageCursor<T> = new Proxy(cursor, {
    get(target, prop) {
      if (prop === Symbol.iterator) return () => proxy;
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const out = Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
        settle();
        return out;
      };
    },
  });
  return proxy;
}

/** Count a Durable Object's own SQLite usage from a cursor (rowsRead/rowsWritten). */
export function countDoSql(cursor: { rowsRead: number; rowsWritten: number }) {
  usage.doRowsRead += cursor.rowsRead;
  usage.doRowsWritten += cursor.rowsWritten;
}
