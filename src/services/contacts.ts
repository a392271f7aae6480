import { asc, eq, gt, sql } from "drizzle-orm";
import {
  contactSequences,
  contacts,
  type ContactStatus,
  events,
  interactions,
  messages,
  operationLedger,
  scoreHistory,
  suppressions,
} from "../db/schema";
import { iso, now } from "../lib/clock";
import { sha256Hex } from "../lib/crypto";
import { ApiError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { parseJson } from "../lib/json";
import { decodeCursor, page } from "../lib/pagination";
import { scoped, type Tenant } from "../lib/tenant";
import { normalizeEmail } from "../lib/validation";

export type ContactRow = typeof contacts.$inferSelect;

export interface ContactInput {
  email?: string;
  first_name?: string | null;
  last_name?: string | null;
  phone?: string | null;
  timezone?: string | null;
  tags?: string[];
  attributes?: Record<string, unknown>;
  validation_score?: number | null;
  deliverable?: boolean | null;
  status?: ContactStatus;
  lifecycle_stage?: string | null;
}

/** The public shape of a contact (API.md). */
export function contactView(c: ContactRow) {
  return {
    id: c.id,
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    phone: c.phone,
    timezone: c.timezone,
    tags: parseJson<string[]>(c.tags, []),
    attributes: parseJson<Record<string, unknown>>(c.attributes, {}),
    status: c.status,
    lifecycle_stage: c.lifecycleStage,
    score: c.score,
    validation_score: c.validationScore,
    deliverable: c.deliverable,
    last_event_at: iso(c.lastEventAt),
    created_at: iso(c.createdAt) as string,
    updated_at: iso(c.updatedAt) as string,
  };
}
export type ContactView = ReturnType<typeof contactView>;

const uniqueTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim()).filter(Boolean))];

/** SHA-256 of the normalized address: how suppressions are keyed (erased contacts leave only this). */
export const emailHash = (email: string) => sha256Hex(normalizeEmail(email));

export async function isSuppressed(tenant: Tenant, email: string): Promise<boolean> {
  const hash = await emailHash(email);
  const row = await tenant.db
    .select({ id: suppressions.id })
    .from(suppressions)
    .where(scoped(tenant, suppressions, eq(suppressions.emailHash, hash)))
    .get();
  return !!row;
}

export async function createContact(tenant: Tenant, input: ContactInput & { email: string }) {
  const at = now();
  const normalized = normalizeEmail(input.email);
  const row = {
    id: newId("ct", at),
    organizationId: tenant.orgId,
    email: input.email.trim(),
    emailNormalized: normalized,
    firstName: input.first_name ?? null,
    lastName: input.last_name ?? null,
    phone: input.phone ?? null,
    timezone: input.timezone ?? null,
    tags: JSON.stringify(uniqueTags(input.tags ?? [])),
    attributes: JSON.stringify(input.attributes ?? {}),
    status: input.status ?? "subscribed",
    lifecycleStage: input.lifecycle_stage ?? null,
    validationScore: input.validation_score ?? null,
    deliverable: input.deliverable ?? null,
    createdAt: at,
    updatedAt: at,
  };
  // A suppressed address (unsubscribed, bounced, erased) is never "subscribed" again by re-creation.
  if (await isSuppressed(tenant, normalized))
    row.status = input.status && input.status !== "subscribed" ? input.status : "unsubscribed";
  const inserted = await tenant.db.insert(contacts).values(row).onConflictDoNothing().returning();
  const created = inserted[0];
  if (!created)
    throw new ApiError("CONTACT_EXISTS", "a contact with this email already exists", [
      { field: "email", message: "already exists" },
    ]);
  return created;
}

export async function getContact(tenant: Tenant, id: string): Promise<ContactRow> {
  const row = await tenant.db
    .select()
    .from(contacts)
    .where(scoped(tenant, contacts, eq(contacts.id, id)))
    .get();
  if (!row) throw notFound("contact");
  return row;
}

export async function findContactByEmail(tenant: Tenant, email: string): Promise<ContactRow | undefined> {
  return tenant.db
    .select()
    .from(contacts)
    .where(scoped(tenant, contacts, eq(contacts.emailNormalized, normalizeEmail(email))))
    .get();
}

export async function listContacts(
  tenant: Tenant,
  q: { limit: number; cursor?: string; email?: string; tag?: string },
) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(contacts)
    .where(
      scoped(
        tenant,
        contacts,
        after ? gt(contacts.id, String(after[0])) : undefined,
        q.email ? eq(contacts.emailNormalized, normalizeEmail(q.email)) : undefined,
        q.tag
          ? sql`exists (select 1 from json_each(${contacts.tags}) where json_each.value = ${q.tag})`
          : undefined,
      ),
    )
    .orderBy(asc(contacts.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

export async function updateContact(tenant: Tenant, id: string, input: ContactInput) {
  const current = await getContact(tenant, id);
  const set: Partial<typeof contacts.$inferInsert> = { updatedAt: now() };
  if (input.email !== undefined) {
    set.email = input.email.trim();
    set.emailNormalized = normalizeEmail(input.email);
  }
  if (input.first_name !== undefined) set.firstName = input.first_name;
  if (input.last_name !== undefined) set.lastName = input.last_name;
  if (input.phone !== undefined) set.phone = input.phone;
  if (input.timezone !== undefined) set.timezone = input.timezone;
  if (input.tags !== undefined) set.tags = JSON.stringify(uniqueTags(input.tags));
  if (input.attributes !== undefined) {
    set.attributes = JSON.stringify({ ...parseJson(current.attributes, {}), ...input.attributes });
  }
  if (input.validation_score !== undefined) set.validationScore = input.validation_score;
  if (input.deliverable !== undefined) set.deliverable = input.deliverable;
  if (input.status !== undefined) set.status = input.status;
  if (input.lifecycle_stage !== undefined) set.lifecycleStage = input.lifecycle_stage;
  try {
    const [row] = await tenant.db
      .update(contacts)
      .set(set)
      .where(scoped(tenant, contacts, eq(contacts.id, id)))
      .returning();
    if (!row) throw notFound("contact");
    return row;
  } catch (e) {
    if (
      e instanceof Error &&
      /UNIQUE constraint failed/.test(`${e.message} ${(e.cause as Error | undefined)?.message ?? ""}`)
    ) {
      throw new ApiError("CONTACT_EXISTS", "a contact with this email already exists", [
        { field: "email", message: "already exists" },
      ]);
    }
    throw e;
  }
}

/** Add a suppression for an address (idempotent). */
export async function suppress(
  tenant: Tenant,
  email: string,
  reason: (typeof suppressions.$inferInsert)["reason"],
) {
  await tenant.db
    .insert(suppressions)
    .values({
      id: newId("sup"),
      organizationId: tenant.orgId,
      emailHash: await emailHash(email),
      reason,
      createdAt: now(),
    })
    .onConflictDoNothing();
}

/**
 * GDPR erase: the contact row and everything keyed to it go in one batch; the address stays
 * suppressed as a hash, so it is never mailed again and cannot be read back.
 */
export async function eraseContact(tenant: Tenant, id: string) {
  const contact = await getContact(tenant, id);
  await suppress(tenant, contact.email, "erased");
  const { db } = tenant;
  await db.batch([
    db.delete(messages).where(scoped(tenant, messages, eq(messages.contactId, id))),
    db.delete(events).where(scoped(tenant, events, eq(events.contactId, id))),
    db.delete(scoreHistory).where(scoped(tenant, scoreHistory, eq(scoreHistory.contactId, id))),
    db.delete(interactions).where(scoped(tenant, interactions, eq(interactions.contactId, id))),
    db
      .update(contactSequences)
      .set({ status: "stopped", stopReason: "contact_erased", nextRunAt: null, updatedAt: now() })
      .where(
        scoped(
          tenant,
          contactSequences,
          eq(contactSequences.contactId, id),
          eq(contactSequences.status, "active"),
        ),
      ),
    db
      .update(operationLedger)
      .set({ status: "skipped", reason: "contact_erased", updatedAt: now() })
      .where(
        scoped(
          tenant,
          operationLedger,
          eq(operationLedger.contactId, id),
          eq(operationLedger.status, "pending"),
        ),
      ),
    db.delete(contacts).where(scoped(tenant, contacts, eq(contacts.id, id))),
  ]);
}

/** Everything held about the person (GDPR access request). */
export async function exportContact(tenant: Tenant, id: string) {
  const contact = await getContact(tenant, id);
  const { db } = tenant;
  const [msgs, evts, scores, inbox, seqs] = await db.batch([
    db
      .select({
        id: messages.id,
        scenario_id: messages.scenarioId,
        subject: messages.subject,
        status: messages.status,
        provider: messages.provider,
        sent_at: messages.sentAt,
        open_count: messages.openCount,
        click_count: messages.clickCount,
      })
      .from(messages)
      .where(scoped(tenant, messages, eq(messages.contactId, id))),
    db
      .select({
        id: events.id,
        source: events.source,
        type: events.type,
        occurred_at: events.occurredAt,
        raw: events.raw,
      })
      .from(events)
      .where(scoped(tenant, events, eq(events.contactId, id))),
    db
      .select({
        delta: scoreHistory.delta,
        score_after: scoreHistory.scoreAfter,
        cause: scoreHistory.cause,
        at: scoreHistory.createdAt,
      })
      .from(scoreHistory)
      .where(scoped(tenant, scoreHistory, eq(scoreHistory.contactId, id))),
    db
      .select({
        id: interactions.id,
        type: interactions.type,
        title: interactions.title,
        body: interactions.body,
        status: interactions.status,
      })
      .from(interactions)
      .where(scoped(tenant, interactions, eq(interactions.contactId, id))),
    db
      .select({
        scenario_id: contactSequences.scenarioId,
        status: contactSequences.status,
        current_step_order: contactSequences.currentStepOrder,
      })
      .from(contactSequences)
      .where(scoped(tenant, contactSequences, eq(contactSequences.contactId, id))),
  ]);
  return {
    exported_at: iso(now()),
    contact: contactView(contact),
    messages: msgs.map((m) => ({ ...m, sent_at: iso(m.sent_at) })),
    events: evts.map((e) => ({ ...e, occurred_at: iso(e.occurred_at), raw: parseJson(e.raw, e.raw) })),
    score_history: scores.map((s) => ({ ...s, at: iso(s.at) })),
    interactions: inbox,
    sequences: seqs,
  };
}

export const statusIsMailable = (s: ContactStatus) => s === "subscribed";
