import { and, eq, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";

declare const orgBrand: unique symbol;
/** An organization id that came from authentication (API key, webhook token, signed token). */
export type OrgId = string & { readonly [orgBrand]: true };

/**
 * The scope every query of tenant data runs in. Services take a `Tenant`, never a bare db, so a
 * query without an organization is a type error rather than a silent cross-tenant read.
 */
export interface Tenant {
  readonly db: Db;
  readonly orgId: OrgId;
}

/**
 * Make a tenant scope. Only authentication code calls this: the auth middleware (API key), the
 * webhook routes (path token), the tracking routes (signed token) and the admin route that creates
 * the organization.
 */
export function tenantScope(db: Db, orgId: string): Tenant {
  return { db, orgId: orgId as OrgId };
}

/** `organization_id = tenant AND ...conditions`: the WHERE of every tenant query. */
export function scoped(
  tenant: Tenant,
  table: { organizationId: SQLiteColumn },
  ...conditions: (SQL | undefined)[]
): SQL {
  return and(eq(table.organizationId, tenant.orgId), ...conditions) as SQL;
}
