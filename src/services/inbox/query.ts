import { and, asc, count, desc, eq, gte, inArray, isNull, lt, ne, or, type SQL, sql } from "drizzle-orm";
import { contacts, interactions, users } from "../../db/schema";
import { now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import { decodeCursor, encodeCursor } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { type DueBucket, dueRange } from "./due";
import { type ContactSummary, type InteractionRow, type InteractionStatus, inboxItemView } from "./view";

/** Inbox filters as the API takes them (API.md, Inbox). */
export interface InboxFilters {
  /** "me", "unassigned", a user id, or undefined for everyone. */
  assignee?: string;
  /** Statuses to show; undefined = everything not done. */
  status?: InteractionStatus[];
  due: DueBucket;
  /** Time zone of the due buckets; undefined = the key's user's zone, else UTC. */
  timezone?: string;
}

/** Who is asking: the team member the API key is bound to ("me"), if any. */
export interface Viewer {
  userId: string | null;
}

/**
 * Resolve the filters into one WHERE: "me" becomes the key's user, an assignee id must be a team
 * member of this organization (404 otherwise, never another organization's inbox), and the due
 * buckets are cut at local midnights of the viewer's time zone.
 */
export async function inboxWhere(tenant: Tenant, viewer: Viewer, f: InboxFilters): Promise<SQL> {
  let assignee: SQL | undefined;
  let tz = f.timezone;
  if (f.assignee === "me") {
    if (!viewer.userId) {
      throw new ApiError("INVALID_QUERY", "assignee=me needs an API key bound to a team member", [
        { field: "assignee", message: "this API key is not bound to a team member" },
      ]);
    }
    assignee = eq(interactions.assigneeId, viewer.userId);
  } else if (f.assignee === "unassigned") {
    assignee = isNull(interactions.assigneeId);
  } else if (f.assignee) {
    const member = await tenant.db
      .select({ id: users.id })
      .from(users)
      .where(scoped(tenant, users, eq(users.id, f.assignee)))
      .get();
    if (!member) throw notFound("user");
    assignee = eq(interactions.assigneeId, f.assignee);
  }
  if (!tz && f.due !== "all" && f.due !== "overdue") tz = await viewerTimezone(tenant, viewer);
  const range = dueRange(f.due, now(), tz ?? "UTC");
  return scoped(
    tenant,
    interactions,
    assignee,
    f.status?.length ? inArray(interactions.status, f.status) : ne(interactions.status, "done"),
    range?.from !== undefined ? gte(interactions.nextActionAt, range.from) : undefined,
    range?.to !== undefined ? lt(interactions.nextActionAt, range.to) : undefined,
  );
}

/** The key's user's time zone, or UTC. */
async function viewerTimezone(tenant: Tenant, viewer: Viewer): Promise<string> {
  if (!viewer.userId) return "UTC";
  const u = await tenant.db
    .select({ timezone: users.timezone })
    .from(users)
    .where(scoped(tenant, users, eq(users.id, viewer.userId)))
    .get();
  return u?.timezone || "UTC";
}

/** Sort keys of a row: (next_action_at is null, next_action_at asc, created_at desc, id desc). */
type SortKeys = [nullLast: 0 | 1, nextActionAt: number | null, createdAt: number, id: string];

const sortKeysOf = (r: InteractionRow): SortKeys => [
  r.nextActionAt === null ? 1 : 0,
  r.nextActionAt,
  r.createdAt,
  r.id,
];

function parseSortKeys(cursor: string | undefined): SortKeys | null {
  const keys = decodeCursor(cursor);
  if (!keys) return null;
  const [n, a, c, id] = keys;
  const ok =
    keys.length === 4 &&
    (n === 0 || n === 1) &&
    (n === 1 ? a === null : typeof a === "number") &&
    typeof c === "number" &&
    typeof id === "string";
  if (!ok)
    throw new ApiError("INVALID_QUERY", "cursor is not valid", [
      { field: "cursor", message: "not an inbox cursor" },
    ]);
  return [n, a as number | null, c as number, id as string];
}

/**
 * Rows strictly after the cursor in the inbox order. Keyset, not offset: rows inserted, updated or
 * removed elsewhere in the list never shift a page, so nothing repeats and nothing untouched is skipped.
 */
function afterCursor(k: SortKeys): SQL {
  const [nullLast, nextActionAt, createdAt, id] = k;
  const i = interactions;
  const newerTail = or(lt(i.createdAt, createdAt), and(eq(i.createdAt, createdAt), lt(i.id, id))) as SQL;
  if (nullLast === 1) return and(isNull(i.nextActionAt), newerTail) as SQL;
  const at = nextActionAt as number;
  return or(
    isNull(i.nextActionAt),
    sql`${i.nextActionAt} > ${at}`,
    and(eq(i.nextActionAt, at), newerTail),
  ) as SQL;
}

const inboxOrder = [
  sql`${interactions.nextActionAt} is null`,
  asc(interactions.nextActionAt),
  desc(interactions.createdAt),
  desc(interactions.id),
];

/** One page of inbox rows (with their contact summaries) after `cursor`, limit+1 rows to detect more. */
export async function inboxRows(tenant: Tenant, where: SQL, limit: number, cursor: SortKeys | null) {
  const rows = await tenant.db
    .select({
      i: interactions,
      contactEmail: contacts.email,
      contactFirst: contacts.firstName,
      contactLast: contacts.lastName,
    })
    .from(interactions)
    .leftJoin(
      contacts,
      and(eq(contacts.id, interactions.contactId), eq(contacts.organizationId, interactions.organizationId)),
    )
    .where(cursor ? and(where, afterCursor(cursor)) : where)
    .orderBy(...inboxOrder)
    .limit(limit)
    .all();
  return rows.map((r) => {
    const contact: ContactSummary | null =
      r.i.contactId && r.contactEmail !== null
        ? { id: r.i.contactId, email: r.contactEmail, first_name: r.contactFirst, last_name: r.contactLast }
        : null;
    return { row: r.i, contact };
  });
}

/** GET /api/v1/inbox: a page of items, the total matching the filters, and the next cursor. */
export async function queryInbox(
  tenant: Tenant,
  viewer: Viewer,
  q: InboxFilters & { limit: number; cursor?: string },
) {
  const cursor = parseSortKeys(q.cursor);
  const where = await inboxWhere(tenant, viewer, q);
  const [rows, totals] = await Promise.all([
    inboxRows(tenant, where, q.limit + 1, cursor),
    tenant.db.select({ n: count() }).from(interactions).where(where).all(),
  ]);
  const pageRows = rows.slice(0, q.limit);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map((r) => inboxItemView(r.row, r.contact)),
    total: totals[0]?.n ?? 0,
    limit: q.limit,
    next_cursor: rows.length > q.limit && last ? encodeCursor(sortKeysOf(last.row)) : null,
  };
}

/** Every row matching the filters, page by page in inbox order (the CSV export). */
export async function* allInboxRows(tenant: Tenant, where: SQL, pageSize = 500) {
  let cursor: SortKeys | null = null;
  for (;;) {
    const rows = await inboxRows(tenant, where, pageSize, cursor);
    yield* rows;
    const last = rows[rows.length - 1];
    if (rows.length < pageSize || !last) return;
    cursor = sortKeysOf(last.row);
  }
}
