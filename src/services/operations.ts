/**
 * What operators look at when an email did not go out or an event did nothing: the ledger rows
 * (GET /api/v1/operations) and the inbound events as stored (GET /api/v1/event-log). Newest first,
 * keyset-paged on the time-ordered ids.
 */
import { and, desc, eq, gte, lt, lte } from "drizzle-orm";
import { events, type LEDGER_STATUSES, operationLedger } from "../db/schema";
import { iso } from "../lib/clock";
import { parseJson } from "../lib/json";
import { decodeCursor, page } from "../lib/pagination";
import { scoped, type Tenant } from "../lib/tenant";

export interface OperationQuery {
  limit: number;
  cursor?: string;
  status?: (typeof LEDGER_STATUSES)[number];
  scenario_id?: string;
  campaign_id?: string;
  contact_id?: string;
}

export async function listOperations(tenant: Tenant, q: OperationQuery) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(operationLedger)
    .where(
      scoped(
        tenant,
        operationLedger,
        and(
          after ? lt(operationLedger.id, String(after[0])) : undefined,
          q.status ? eq(operationLedger.status, q.status) : undefined,
          q.scenario_id ? eq(operationLedger.scenarioId, q.scenario_id) : undefined,
          q.campaign_id ? eq(operationLedger.campaignId, q.campaign_id) : undefined,
          q.contact_id ? eq(operationLedger.contactId, q.contact_id) : undefined,
        ),
      ),
    )
    .orderBy(desc(operationLedger.id))
    .limit(q.limit + 1)
    .all();
  const { items, next_cursor } = page(rows, q.limit, (r) => [r.id]);
  return {
    items: items.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      reason: r.reason,
      attempts: r.attempts,
      contact_id: r.contactId,
      scenario_id: r.scenarioId,
      step_order: r.stepOrder,
      campaign_id: r.campaignId,
      variant_name: r.variantName,
      message_id: r.messageId,
      created_at: iso(r.createdAt) as string,
      updated_at: iso(r.updatedAt) as string,
    })),
    next_cursor,
  };
}

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
