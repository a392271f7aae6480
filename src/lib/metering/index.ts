/**
 * Usage metering for the benchmarks (`npm run bench`): when the `METERING` var is "on", the Worker
 * counts the billable units it uses in isolate memory, readable at GET /api/v1/admin/metrics. Off
 * (the default), every wrapper here returns its input unchanged.
 */
import { meterD1 } from "./d1";
import { count, inScope, meteringOn, type Usage } from "./usage";

export * from "./usage";

function meterQueue<T>(queue: Queue<T>): Queue<T> {
  const wrapped: Queue<T> = Object.create(queue);
  wrapped.send = (body, opts) => {
    count("queueWrites");
    return queue.send(body, opts);
  };
  wrapped.sendBatch = (msgs, opts) => {
    count("queueWrites", [...msgs].length);
    return queue.sendBatch(msgs, opts);
  };
  // Inherited, the binding's methods would run with the wrapper as `this` (Illegal invocation).
  wrapped.metrics = () => queue.metrics();
  return wrapped;
}

/** Every RPC method call on a stub is one billed Durable Object request. */
function meterStub<S extends object>(stub: S): S {
  return new Proxy(stub, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function" || prop === "then") return value;
      return (...args: unknown[]) => {
        count("doRequests");
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

/** Run `fn` with its usage also counted under `label` (when metering is on; else just run it). */
export const measured = <T>(env: object, label: string, fn: () => Promise<T>): Promise<T> =>
  meteringOn(env) ? inScope(label, fn) : fn();

/** Count one unit when metering is on (Durable Object alarms, Worker invocations). */
export function countFor(env: object, key: keyof Usage, n = 1) {
  if (meteringOn(env)) count(key, n);
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
  // Which method settles a message how: ack is a read + delete, retry a read + redelivery.
  const SETTLES = new Map<string, "ack" | "retry">([
    ["ack", "ack"],
    ["retry", "retry"],
  ]);
  const state = new Map<Message<B>, "ack" | "retry">();
  const settleAll = (to: "ack" | "retry") => {
    for (const m of batch.messages) if (!state.has(m)) state.set(m, to);
  };
  const messages = batch.messages.map(
    (m) =>
      new Proxy(m, {
        get(target, prop) {
          const value = Reflect.get(target, prop);
          if (typeof value !== "function") return value;
          const to = SETTLES.get(String(prop));
          return (...args: unknown[]) => {
            if (to && !state.has(target)) state.set(target, to);
            return Reflect.apply(value, target, args);
          };
        },
      }),
  );
  const metered = new Proxy(batch, {
    get(target, prop) {
      if (prop === "messages") return messages;
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      // ackAll/retryAll settle every message not settled yet; the call itself passes through.
      const to = SETTLES.get(String(prop).replace(/All$/, ""));
      return (...args: unknown[]) => {
        if (to) settleAll(to);
        return Reflect.apply(value, target, args);
      };
    },
  });
  count("workerRequests");
  count("queueReads", batch.messages.length);
  try {
    await run(metered);
    settleAll("ack");
  } catch (e) {
    settleAll("retry");
    throw e;
  } finally {
    for (const to of state.values()) {
      if (to === "ack") count("queueDeletes");
      else count("queueRetries");
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
    count("doRowsRead", cursor.rowsRead - read);
    count("doRowsWritten", cursor.rowsWritten - written);
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
  count("doRowsRead", cursor.rowsRead);
  count("doRowsWritten", cursor.rowsWritten);
}
