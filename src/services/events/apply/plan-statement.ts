/** A query builder's statement (insert, update, delete), not yet built. */
export interface BuilderStatement {
  toSQL(): { sql: string; params: unknown[] };
}

/**
 * One write of an event's plan: a query builder's statement, or a prepared statement of fixed text
 * (guarded-update.ts, the applied mark) where the builder's per-event cost showed in the profile.
 * The EVENTS consumer writes both kinds in one D1 batch (lib/tenant-sql.ts tenantBatch).
 */
export type PlanStatement = BuilderStatement | D1PreparedStatement;

/** Whether it is a query builder's statement (lib/tenant-sql.ts `builtStatement` builds it). */
export const isBuilder = (s: PlanStatement): s is BuilderStatement => "toSQL" in s;
