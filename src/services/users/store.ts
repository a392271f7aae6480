import { asc, eq, gt } from "drizzle-orm";
import { users } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";

export type UserRow = typeof users.$inferSelect;

export const userView = (u: UserRow) => ({
  id: u.id,
  name: u.name,
  email: u.email,
  timezone: u.timezone,
  created_at: iso(u.createdAt) as string,
});

export async function createUser(
  tenant: Tenant,
  input: { name: string; email: string; timezone?: string | null },
) {
  const at = now();
  const [row] = await tenant.db
    .insert(users)
    .values({
      id: newId("usr", at),
      organizationId: tenant.orgId,
      name: input.name,
      email: input.email.trim(),
      timezone: input.timezone ?? null,
      createdAt: at,
    })
    .returning();
  return row as UserRow;
}

export async function getUser(tenant: Tenant, id: string): Promise<UserRow> {
  const row = await tenant.db
    .select()
    .from(users)
    .where(scoped(tenant, users, eq(users.id, id)))
    .get();
  if (!row) throw notFound("user");
  return row;
}

export async function listUsers(tenant: Tenant, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(users)
    .where(scoped(tenant, users, after ? gt(users.id, String(after[0])) : undefined))
    .orderBy(asc(users.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}
