/**
 * The inbound events as stored (GET /api/v1/event-log): what operators look at when an event did
 * nothing. Newest first, keyset-paged on the time-ordered ids.
 */
import { and, desc, eq, gte, lt, lte } from "drizzle-orm";
import { events } from "../../db/schema";
import { iso } from "../../lib/clock";
import { parseJson } from "../../lib/json";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";

export interface EventLogQuery {
  limit: number;
  cursor?: string;
  type?: string;
  contact_id?: string;
  since?: string;
  until?: string;
}

type EventRow = typeof events.$inferSelect;

export const eventLogView = (r: EventRow) => {
  const applied = parseJson<{ event?: { type?: string } } | null>(r.normalized, null);
  return {
    id: r.id,
    source: r.source,
    type: r.type,
    applied_as: applied?.event?.type ?? null,
    contact_id: r.contactId,
    message_id: r.messageId,
    occurred_at: iso(r.occurredAt) as string,
    received_at: iso(r.createdAt) as string,
    processed_at: iso(r.processedAt),
    error: r.error,
    raw: r.raw,
  };
};

export async function eventLogPage(tenant: Tenant, q: EventLogQuery & { afterId?: string | null }) {
  const after = q.afterId ?? (decodeCursor(q.cursor)?.[0] as string | undefined) ?? null;
  const rows = await tenant.db
    .select()
    .from(events)
    .where(
      scoped(
        tenant,
        events,
        and(
          after ? lt(events.id, after) : undefined,
          q.type ? eq(events.type, q.type) : undefined,
          q.contact_id ? eq(events.contactId, q.contact_id) : undefined,
          q.since ? gte(events.occurredAt, Date.parse(q.since)) : undefined,
          q.until ? lte(events.occurredAt, Date.parse(q.until)) : undefined,
        ),
      ),
    )
    .orderBy(desc(events.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}
