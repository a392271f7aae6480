import { tenantFor } from "../../db/route";
import type { Tenant } from "../../lib/tenant";
import { crossTenantSql, tenantSql } from "../../lib/tenant-sql";

/** The tenants of every organization with at least one row in `table` (a nightly job's list). */
export async function* tenantsWith(env: Env, table: "orders" | "messages"): AsyncGenerator<Tenant> {
  const orgs = await crossTenantSql(env.DB, "SELECT id FROM organizations ORDER BY id").all<{ id: string }>();
  for (const { id } of orgs.results) {
    const tenant = await tenantFor(env, id);
    const any = await tenantSql(
      tenant,
      table === "orders"
        ? "SELECT 1 AS x FROM orders WHERE organization_id = ?1 LIMIT 1"
        : "SELECT 1 AS x FROM messages WHERE organization_id = ?1 LIMIT 1",
    ).first();
    if (any) yield tenant;
  }
}
