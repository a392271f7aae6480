import { and, eq, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";

declare const orgBrand: unique symbol;

/** The query builder without its raw D1 client (`$client`): see lib/tenant-sql.ts. */
export type TenantDb = Omit<Db, "$client">;
/** An organization id that came from authentication (API key, webhook token, signed token). */
export type OrgId = string & { readonly [orgBrand]: true };

/**
 * The scope every query of tenant data runs in. Services take a `Tenant`, never a bare db, so a
 * query without an organization is a type error rather than a silent cross-tenant read.
 */
export interface Tenant {
  /**
   * The database holding the organization's data (db/route.ts), through the query builder only:
   * raw SQL goes through lib/tenant-sql.ts, which binds the organization itself.
   */
  readonly db: TenantDb;
  readonly orgId: OrgId;
  /** The directory database: organizations (settings, webhook token) and API keys. */
  readonly directory: Db;
  /**
   * Reads shared by the events of one EVENTS batch (lib/batch-reads.ts): set on the batch's own
   * tenant only, so a request never sees a row another request read.
   */
  readonly reads?: BatchReads;
}

/** Read once per key, then answer the same promise (a failed read is read again next time). */
export type BatchReads = <T>(key: string, read: () => Promise<T>) => Promise<T>;

/**
 * Make a tenant scope from an organization id that was authenticated (API key, webhook path
 * token, signed tracking token, operator token) or that a trusted producer put in a queue message
 * or a Durable Object's state. Most callers go through `tenantFor(env, orgId)` (db/route.ts),
 * which picks the organization's database.
 */
export function tenantScope(db: Db, orgId: string, directory: Db = db): Tenant {
  return { db, orgId: orgId as OrgId, directory };
}

/** `organization_id = tenant AND ...conditions`: the WHERE of every tenant query. */
export function scoped(
  tenant: Tenant,
  table: { organizationId: SQLiteColumn },
  ...conditions: (SQL | undefined)[]
): SQL {
  return and(eq(table.organizationId, tenant.orgId), ...conditions) as SQL;
}
