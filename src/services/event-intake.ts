import { eq } from "drizzle-orm";
import type { EventMessage } from "../../queues/messages";
import { events } from "../db/schema";
import { now } from "../lib/clock";
import { newId } from "../lib/ids";
import { scoped, type Tenant } from "../lib/tenant";

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
  // D1 allows 100 bound parameters per statement: 9 rows of 11 columns per INSERT, all in one batch.
  const statements = [];
  for (let i = 0; i < rows.length; i += 9) {
    statements.push(
      tenant.db
        .insert(events)
        .values(rows.slice(i, i + 9))
        .onConflictDoNothing()
        .returning({ id: events.id }),
    );
  }
  if (statements.length) {
    const results = await tenant.db.batch(
      statements as [(typeof statements)[number], ...(typeof statements)[number][]],
    );
    for (const r of results) for (const { id } of r) stored.push(id);
  }
  const messages: { body: EventMessage }[] = stored.map((id) => ({
    body: { event_id: id, organization_id: tenant.orgId },
  }));
  for (let i = 0; i < messages.length; i += 100) await queue.sendBatch(messages.slice(i, i + 100));
  return { stored: stored.length, duplicates: rows.length - stored.length, ids: stored };
}

export async function storeEvent(tenant: Tenant, queue: Queue, input: RawEventInput) {
  const res = await storeEvents(tenant, queue, [input]);
  return { id: res.ids[0] ?? null, duplicate: res.stored === 0 };
}

export async function getStoredEvent(tenant: Tenant, id: string) {
  return tenant.db
    .select()
    .from(events)
    .where(scoped(tenant, events, eq(events.id, id)))
    .get();
}
