import { and, eq, isNull } from "drizzle-orm";
import { messages } from "../../../db/schema";
import type { BehaviourEventType } from "../../../contracts/events";
import { now } from "../../../lib/clock";
import { ApiError } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { scoped, type Tenant } from "../../../lib/tenant";
import { storeEvent } from "./store";
import { findContactByEmail, getContact } from "../../contacts/store";
import { type BehaviourRaw, type EmailEventRaw, SOURCES } from "../normalize/row";

/** The contact an API event names: by id (404 when not in this organization) or by address. */
export async function contactFor(tenant: Tenant, ref: { contact_id?: string; email?: string }) {
  if (ref.contact_id) return getContact(tenant, ref.contact_id);
  return ref.email ? ((await findContactByEmail(tenant, ref.email)) ?? null) : null;
}

/** POST /api/v1/events: store a behaviour event for the EVENTS consumer. */
export async function ingestBehaviourEvent(
  tenant: Tenant,
  queue: Queue,
  input: {
    type: BehaviourEventType;
    contact_id?: string;
    email?: string;
    occurred_at?: string;
    properties: Record<string, unknown>;
    idempotency_key?: string;
  },
) {
  const contact = await contactFor(tenant, input);
  if (!contact)
    throw new ApiError("NOT_FOUND", "contact not found", [
      { field: "email", message: "no contact has this address" },
    ]);
  const raw: BehaviourRaw = { type: input.type, properties: input.properties };
  return storeEvent(tenant, queue, {
    source: SOURCES.behaviour,
    // Without an idempotency key every call is a new event.
    dedupKey: `api:${input.idempotency_key ?? newId("once")}`,
    type: input.type,
    contactId: contact.id,
    occurredAt: input.occurred_at ? Date.parse(input.occurred_at) : undefined,
    raw,
  });
}

/**
 * The message of (provider, external_id) in this organization, created when it is new and completed
 * (contact, subject) when it lacks them. (provider, external_id) is unique per organization: another
 * organization's message with the same id is neither seen nor touched, and says nothing about it.
 */
async function upsertMessage(
  tenant: Tenant,
  input: { provider: string; external_id: string; subject?: string },
  contact: { id: string; email: string } | null,
) {
  const where = scoped(
    tenant,
    messages,
    and(eq(messages.provider, input.provider), eq(messages.externalId, input.external_id)),
  );
  const at = now();
  let row = await tenant.db
    .select({ id: messages.id, contactId: messages.contactId, subject: messages.subject })
    .from(messages)
    .where(where)
    .get();
  if (!row) {
    const inserted = await tenant.db
      .insert(messages)
      .values({
        id: newId("msg", at),
        organizationId: tenant.orgId,
        provider: input.provider,
        externalId: input.external_id,
        contactId: contact?.id ?? null,
        toEmail: contact?.email ?? null,
        subject: input.subject ?? null,
        createdAt: at,
        updatedAt: at,
      })
      .onConflictDoNothing()
      .returning({ id: messages.id, contactId: messages.contactId, subject: messages.subject });
    row =
      inserted[0] ??
      (await tenant.db
        .select({ id: messages.id, contactId: messages.contactId, subject: messages.subject })
        .from(messages)
        .where(where)
        .get());
    if (!row) throw new Error("message vanished after its insert");
    return row.id;
  }
  if ((contact && !row.contactId) || (input.subject && !row.subject)) {
    await tenant.db
      .update(messages)
      .set({
        ...(contact && !row.contactId ? { contactId: contact.id, toEmail: contact.email } : {}),
        ...(input.subject && !row.subject ? { subject: input.subject } : {}),
        updatedAt: at,
      })
      .where(
        scoped(
          tenant,
          messages,
          eq(messages.id, row.id),
          contact && !row.contactId ? isNull(messages.contactId) : undefined,
        ),
      );
  }
  return row.id;
}

/** POST /api/v1/email-events: upsert the message, then store the event for the EVENTS consumer. */
export async function ingestEmailEvent(
  tenant: Tenant,
  queue: Queue,
  input: Omit<EmailEventRaw, "bounce_type"> & {
    occurred_at: string;
    contact_id?: string;
    email?: string;
    subject?: string;
    bounce_type?: string;
  },
) {
  const contact = await contactFor(tenant, input);
  const messageId = await upsertMessage(tenant, input, contact);
  const occurredAt = Date.parse(input.occurred_at);
  const raw: EmailEventRaw = {
    provider: input.provider,
    external_id: input.external_id,
    event: input.event,
    ...(input.bounce_type ? { bounce_type: input.bounce_type } : {}),
    ...(input.url ? { url: input.url } : {}),
    ...(input.user_agent ? { user_agent: input.user_agent } : {}),
    ...(input.machine !== undefined ? { machine: input.machine } : {}),
    ...(input.text ? { text: input.text } : {}),
  };
  const res = await storeEvent(tenant, queue, {
    source: SOURCES.emailEvents,
    dedupKey: `email-events:${input.provider}:${input.external_id}:${input.event}:${occurredAt}`,
    type: input.event,
    contactId: contact?.id ?? null,
    messageId,
    occurredAt,
    raw,
  });
  return { ...res, message_id: messageId };
}
