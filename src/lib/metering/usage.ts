/** The metering counters (isolate memory): billable units and D1 usage per statement. */
import { AsyncLocalStorage } from "node:async_hooks";

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

/**
 * Usage by label: what ran inside `inScope(label, ...)` (a journey's node, by type) is also counted
 * under its label, through the awaits it makes (AsyncLocalStorage), so concurrent work of other
 * labels or none is kept apart.
 */
const scope = new AsyncLocalStorage<string>();
let labelled = new Map<string, Usage>();

export function inScope<T>(label: string, fn: () => Promise<T>): Promise<T> {
  return scope.run(label, fn);
}
export const readLabelled = (): Record<string, Usage> => Object.fromEntries(labelled);
const labelledUsage = (): Usage | null => {
  const label = scope.getStore();
  if (!label) return null;
  let u = labelled.get(label);
  if (!u) {
    u = zero();
    labelled.set(label, u);
  }
  return u;
};

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
  labelled = new Map();
};
/** The statements that wrote (then read) the most rows since the last reset. */
export const readStatements = (limit = 50): StatementUsage[] =>
  [...statements.values()]
    .sort((a, b) => b.rowsWritten - a.rowsWritten || b.rowsRead - a.rowsRead)
    .slice(0, limit);
export function count(key: keyof Usage, n = 1) {
  usage[key] += n;
  const l = labelledUsage();
  if (l) l[key] += n;
}

export interface Meta {
  rows_read?: number;
  rows_written?: number;
}
/**
 * A statement's SQL text with its whitespace collapsed, worked out once per text: the bench's
 * webhook load ran the regular expression on every statement (2.6% of the isolate's samples).
 */
const keys = new Map<string, string>();
function statementKey(sql: string): string {
  let key = keys.get(sql);
  if (key === undefined) {
    key = sql.replace(/\s+/g, " ").trim().slice(0, 300);
    if (keys.size >= 4 * MAX_STATEMENTS) keys.clear();
    keys.set(sql, key);
  }
  return key;
}

/** Add one D1 result's meta to the counters, attributed to its SQL text. */
export const addMeta = (meta: Meta | undefined, sql: string | undefined) => {
  const read = meta?.rows_read ?? 0;
  const written = meta?.rows_written ?? 0;
  usage.d1Queries++;
  usage.d1RowsRead += read;
  usage.d1RowsWritten += written;
  const l = labelledUsage();
  if (l) {
    l.d1Queries++;
    l.d1RowsRead += read;
    l.d1RowsWritten += written;
  }
  let key = statementKey(sql ?? "?");
  if (!statements.has(key) && statements.size >= MAX_STATEMENTS) key = "(other statements)";
  const entry = statements.get(key) ?? { sql: key, queries: 0, rowsRead: 0, rowsWritten: 0 };
  entry.queries++;
  entry.rowsRead += read;
  entry.rowsWritten += written;
  statements.set(key, entry);
};
