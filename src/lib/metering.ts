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

export const meteringOn = (env: { METERING?: string }) => env.METERING === "on";
export const readUsage = (): Usage => ({ ...usage });
export const resetUsage = () => {
  usage = zero();
};
export function count(key: keyof Usage, n = 1) {
  usage[key] += n;
}

interface Meta {
  rows_read?: number;
  rows_written?: number;
}
const addMeta = (meta: Meta | undefined) => {
  usage.d1Queries++;
  usage.d1RowsRead += meta?.rows_read ?? 0;
  usage.d1RowsWritten += meta?.rows_written ?? 0;
};

const realStatement = new WeakMap<object, D1PreparedStatement>();

function meterStatement(stmt: D1PreparedStatement): D1PreparedStatement {
  const wrapped: D1PreparedStatement = Object.create(stmt);
  realStatement.set(wrapped, stmt);
  wrapped.bind = (...values: unknown[]) => meterStatement(stmt.bind(...values));
  wrapped.all = async <T>() => {
    const r = await stmt.all<T>();
    addMeta(r.meta);
    return r;
  };
  wrapped.run = async <T>() => {
    const r = await stmt.run<T>();
    addMeta(r.meta);
    return r;
  };
  wrapped.first = (async (col?: string) => {
    const r = await stmt.all<Record<string, unknown>>();
    addMeta(r.meta);
    const row = r.results[0] ?? null;
    return col === undefined ? row : row ? (row[col] ?? null) : null;
  }) as D1PreparedStatement["first"];
  // raw() returns no meta: answer it from all(), keeping the column order of the row objects.
  wrapped.raw = (async (opts?: { columnNames?: boolean }) => {
    const r = await stmt.all<Record<string, unknown>>();
    addMeta(r.meta);
    const rows = r.results.map((row) => Object.values(row));
    if (opts?.columnNames) return [Object.keys(r.results[0] ?? {}), ...rows];
    return rows;
  }) as D1PreparedStatement["raw"];
  return wrapped;
}

function meterD1(db: D1Database): D1Database {
  const wrapped: D1Database = Object.create(db);
  wrapped.prepare = (sql: string) => meterStatement(db.prepare(sql));
  wrapped.batch = async <T>(stmts: D1PreparedStatement[]) => {
    const results = await db.batch<T>(stmts.map((s) => realStatement.get(s) ?? s));
    for (const r of results) addMeta(r.meta);
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
function meterNamespace<T extends Rpc.DurableObjectBranded | undefined>(ns: DurableObjectNamespace<T>): DurableObjectNamespace<T> {
  const wrapped: DurableObjectNamespace<T> = Object.create(ns);
  wrapped.get = (id, opts) => {
    const stub = ns.get(id, opts);
    return new Proxy(stub, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function" || prop === "then") return value;
        return (...args: unknown[]) => {
          usage.doRequests++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  };
  return wrapped;
}

/** The env with its bindings metered (when METERING is on); the same env otherwise. */
export function meteredEnv<E extends object>(env: E): E {
  if (!meteringOn(env as { METERING?: string })) return env;
  const out: Record<string, unknown> = { ...(env as Record<string, unknown>) };
  for (const [k, v] of Object.entries(env)) {
    if (!v || typeof v !== "object") continue;
    if ("prepare" in v && "batch" in v) out[k] = meterD1(v as D1Database);
    else if ("sendBatch" in v) out[k] = meterQueue(v as Queue);
    else if ("idFromName" in v) out[k] = meterNamespace(v as DurableObjectNamespace);
  }
  return out as E;
}

/** Count a Durable Object's own SQLite usage from a cursor (rowsRead/rowsWritten). */
export function countDoSql(cursor: { rowsRead: number; rowsWritten: number }) {
  usage.doRowsRead += cursor.rowsRead;
  usage.doRowsWritten += cursor.rowsWritten;
}
