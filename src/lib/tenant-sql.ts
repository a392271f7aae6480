/**
 * Raw SQL over tenant data, for what the query builder cannot say (json_each batches, UPDATE ...
 * FROM, window functions). The text must compare `organization_id = ?1` (a literal type: text
 * without it does not compile) and ?1 is bound here from the tenant, never by the caller, so raw
 * SQL is as scoped as `scoped(tenant, ...)` is for the query builder. Jobs that walk every
 * organization of a database (the recovery and retention crons) use `crossTenantSql` instead, which
 * says so at the call.
 */
import type { Db } from "../db/client";
import type { Tenant } from "./tenant";

/** The one place that reaches the raw client of a tenant's database. */
const clientOf = (tenant: Tenant) => (tenant.db as Db).$client;

/**
 * SQL text scoped to the organization bound as ?1: it filters with `organization_id = ?1`, or it
 * inserts rows whose organization_id column takes ?1.
 */
export type TenantSqlText =
  | `${string}organization_id = ?1${string}`
  | `${string}INSERT INTO ${string}organization_id${string}?1${string}`;

/**
 * Text built at run time (joined parts) checked here: it must have one of the two shapes above.
 * Static text needs no call: its type is checked when it is written.
 */
export function asTenantSql(text: string): TenantSqlText {
  const scoped =
    text.includes("organization_id = ?1") ||
    (/INSERT INTO [^(]+\([^)]*organization_id/.test(text) && text.includes("?1"));
  if (!scoped) throw new Error("tenant SQL without organization_id = ?1");
  return text as TenantSqlText;
}

/** A prepared statement with ?1 bound to the tenant's organization and the rest from ?2 on. */
export function tenantSql(tenant: Tenant, text: TenantSqlText, ...params: unknown[]): D1PreparedStatement {
  return clientOf(tenant)
    .prepare(text)
    .bind(tenant.orgId, ...params);
}

/**
 * A query builder's statement as a prepared statement of the tenant's database, so it can share a
 * D1 batch with fixed-text ones. The builder's own WHERE scopes it (`scoped(tenant, ...)`).
 */
export function builtStatement(
  tenant: Tenant,
  query: { toSQL(): { sql: string; params: unknown[] } },
): D1PreparedStatement {
  const { sql, params } = query.toSQL();
  return clientOf(tenant)
    .prepare(sql)
    .bind(...params);
}

/** Several statements in one transaction (D1 batch). */
export function tenantBatch<T = unknown>(tenant: Tenant, statements: D1PreparedStatement[]) {
  return clientOf(tenant).batch<T>(statements);
}

/**
 * A statement over every organization of one database: the system jobs that sweep a database
 * (ledger recovery, retention, expiries) and nothing else. Named so that a reader sees it.
 */
export function crossTenantSql(d1: D1Database, text: string, ...params: unknown[]): D1PreparedStatement {
  return d1.prepare(text).bind(...params);
}
