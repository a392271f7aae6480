import { desc, eq, isNull, lt, sql } from "drizzle-orm";
import { notifications, users } from "../../db/schema";
import { now } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { ApiError, notFound } from "../../lib/errors";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import type { NotificationRow } from "../inbox/view";

/**
 * Whose notifications a request reads: `user_id` when given (a member of this organization), else
 * the team member the API key is bound to. An unbound key without user_id is a bad query.
 */
export async function notificationUser(
  tenant: Tenant,
  keyUserId: string | null,
  userId: string | undefined,
): Promise<string> {
  const id = userId ?? keyUserId;
  if (!id) {
    throw new ApiError("INVALID_QUERY", "this API key is not bound to a team member; pass ?user_id=", [
      { field: "user_id", message: "required with an API key that is not bound to a team member" },
    ]);
  }
  if (userId && userId !== keyUserId) {
    const member = await tenant.db
      .select({ id: users.id })
      .from(users)
      .where(scoped(tenant, users, eq(users.id, userId)))
      .get();
    if (!member) throw notFound("user");
  }
  return id;
}

/** A user's notifications, newest first (ids are time-ordered, so the id is the keyset). */
export async function listNotifications(
  tenant: Tenant,
  userId: string,
  q: { limit: number; cursor?: string; unread?: boolean },
) {
  const after = decodeCursor(q.cursor);
  const where = scoped(
    tenant,
    notifications,
    eq(notifications.userId, userId),
    q.unread ? isNull(notifications.readAt) : undefined,
    after ? lt(notifications.id, String(after[0])) : undefined,
  );
  const [rows, unread] = await Promise.all([
    tenant.db
      .select()
      .from(notifications)
      .where(where)
      .orderBy(desc(notifications.id))
      .limit(q.limit + 1)
      .all(),
    tenant.db
      .select({ n: sql<number>`count(*)` })
      .from(notifications)
      .where(scoped(tenant, notifications, eq(notifications.userId, userId), isNull(notifications.readAt)))
      .all(),
  ]);
  return { ...page(rows, q.limit, (r) => [r.id]), unread: unread[0]?.n ?? 0 };
}

/** Mark one notification read (idempotent: a second call keeps the first read_at). */
export async function markNotificationRead(
  tenant: Tenant,
  userId: string | null,
  id: string,
): Promise<NotificationRow> {
  const own = userId ? eq(notifications.userId, userId) : undefined;
  await tenant.db
    .update(notifications)
    .set({ readAt: now() })
    .where(scoped(tenant, notifications, eq(notifications.id, id), own, isNull(notifications.readAt)));
  const row = await tenant.db
    .select()
    .from(notifications)
    .where(scoped(tenant, notifications, eq(notifications.id, id), own))
    .get();
  if (!row) throw notFound("notification");
  return row;
}

/** Mark every unread notification of a user read; answers how many changed. */
export async function markAllNotificationsRead(tenant: Tenant, userId: string): Promise<number> {
  const rows = await tenant.db
    .update(notifications)
    .set({ readAt: now() })
    .where(scoped(tenant, notifications, eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

/** A notification for every team member (or one), in their inbox bell. */
export async function notifyMembers(tenant: Tenant, title: string, body: string, userId?: string | null) {
  const members = await tenant.db
    .select({ id: users.id })
    .from(users)
    .where(scoped(tenant, users, userId ? eq(users.id, userId) : undefined))
    .all();
  if (!members.length) return;
  const at = now();
  await tenant.db.insert(notifications).values(
    members.map((m) => ({
      id: newId("ntf", at),
      organizationId: tenant.orgId,
      userId: m.id,
      title,
      body,
      createdAt: at,
    })),
  );
}
