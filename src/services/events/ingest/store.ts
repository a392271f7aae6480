import type { EventMessage } from "../../../contracts/queue-messages";
import { now } from "../../../lib/clock";
import { sendAll } from "../../../lib/queue";
import { newId } from "../../../lib/ids";
import type { Tenant } from "../../../lib/tenant";
import { tenantSql } from "../../../lib/tenant-sql";

/**
 * Events per EVENTS message. The consumer takes 50 messages a batch (wrangler.toml), so a batch
 * holds at most 500 events, and single events (one per webhook request) share a batch's reads 50
 * at a time (10 messages of 100 events each was the rule before: 10 single events a batch).
 */
export const EVENTS_PER_MESSAGE = 10;

export interface RawEventInput {
  /** "ses" | "brevo" | "tracking" | "api" | "email-events" ... */
  source: string;
  /** Unique per organization for the same delivery: a duplicate is stored once and not enqueued again. */
  dedupKey: string;
  /** The source's own type name (normalized later by the EVENTS consumer). */
  type: string;
  contactId?: string | null;
  messageId?: string | null;
  occurredAt?: number;
  raw: unknown;
}

/**
 * Store an inbound event raw, then enqueue it for the EVENTS consumer (invariant 5: stored before
 * acknowledged). Returns `duplicate: true` when the same dedup key was stored before.
 */
export async function storeEvents(tenant: Tenant, queue: Queue, inputs: RawEventInput[]) {
  const at = now();
  const rows = inputs.map((input) => ({
    id: newId("ev", at),
    organizationId: tenant.orgId,
    source: input.source,
    dedupKey: input.dedupKey,
    type: input.type,
    contactId: input.contactId ?? null,
    messageId: input.messageId ?? null,
    occurredAt: input.occurredAt ?? at,
    raw: typeof input.raw === "string" ? input.raw : JSON.stringify(input.raw),
    createdAt: at,
  }));
  const stored: string[] = [];
  // One statement per 500 events: the rows travel as one JSON parameter (D1 binds at most 100).
  for (let i = 0; i < rows.length; i += 500) {
    const res = await tenantSql(
      tenant,
      `INSERT INTO events (id, organization_id, source, dedup_key, type, contact_id, message_id, occurred_at, raw, created_at)
         SELECT j.value ->> 'id', ?1, j.value ->> 'source', j.value ->> 'dedupKey', j.value ->> 'type',
           j.value ->> 'contactId', j.value ->> 'messageId', j.value ->> 'occurredAt', j.value ->> 'raw', ?2
         FROM json_each(?3) AS j WHERE true
         ON CONFLICT DO NOTHING RETURNING id`,
      at,
      JSON.stringify(rows.slice(i, i + 500)),
    ).all<{ id: string }>();
    for (const r of res.results) stored.push(r.id);
  }
  // EVENTS messages of EVENTS_PER_MESSAGE events each, in the order they came.
  const order = new Map(rows.map((r, i) => [r.id, i]));
  stored.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const messages: { body: EventMessage }[] = [];
  for (let i = 0; i < stored.length; i += EVENTS_PER_MESSAGE) {
    const ids = stored.slice(i, i + EVENTS_PER_MESSAGE);
    messages.push({
      body:
        ids.length === 1
          ? { event_id: ids[0] as string, organization_id: tenant.orgId }
          : { event_ids: ids, organization_id: tenant.orgId },
    });
  }
  await sendAll(queue, messages);
  return { stored: stored.length, duplicates: rows.length - stored.length, ids: stored };
}

export async function storeEvent(tenant: Tenant, queue: Queue, input: RawEventInput) {
  const res = await storeEvents(tenant, queue, [input]);
  return { id: res.ids[0] ?? null, duplicate: res.stored === 0 };
}
