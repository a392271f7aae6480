import { asc, eq, gt, sql } from "drizzle-orm";
import { type ContactStatus, contacts, suppressions } from "../db/schema";
import { iso, now } from "../lib/clock";
import { sha256Hex } from "../lib/crypto";
import { ApiError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { parseJson } from "../lib/json";
import { decodeCursor, page } from "../lib/pagination";
import { scoped, type Tenant } from "../lib/tenant";
import { normalizeEmail } from "../lib/validation";
import { consentsView } from "./consent/records";

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
    last_opened_at: iso(c.lastOpenedAt),
    last_clicked_at: iso(c.lastClickedAt),
    consents: consentsView(c),
    purchase_count: c.purchaseCount,
    total_spent: c.totalSpent,
    last_purchase_at: iso(c.lastPurchaseAt),
    rfm: rfmView(c),
    rfm_segment: c.rfmSegment,
    rfm_score: c.rfmScore,
    fit_score: c.fitScore,
    created_at: iso(c.createdAt) as string,
    updated_at: iso(c.updatedAt) as string,
  };
}
export type ContactView = ReturnType<typeof contactView>;

/** The stored RFM with recency in whole days, as of now (it is not rewritten every day). */
function rfmView(c: ContactRow) {
  const stored = parseJson<Record<string, unknown> | null>(c.rfm, null);
  if (!stored) return null;
  const recency = c.lastPurchaseAt === null ? null : Math.floor((now() - c.lastPurchaseAt) / 86_400_000);
  return {
    recency_days: recency,
    frequency: stored.frequency,
    monetary: stored.monetary,
    r: stored.r,
    f: stored.f,
    m: stored.m,
    score: stored.score,
    segment: stored.segment,
    computed_at: iso(stored.computed_at as number | null),
  };
}

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
  q: {
    limit: number;
    cursor?: string;
    email?: string;
    tag?: string;
    search?: string;
    status?: ContactRow["status"];
  },
) {
  const after = decodeCursor(q.cursor);
  // The web UI's search: an address prefix, or a first or last name prefix (LIKE, wildcards escaped).
  const like = q.search
    ? `${q.search
        .trim()
        .toLowerCase()
        .replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
    : null;
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
        like
          ? sql`(${contacts.emailNormalized} like ${like} escape '\\' or lower(${contacts.firstName}) like ${like} escape '\\' or lower(${contacts.lastName}) like ${like} escape '\\')`
          : undefined,
        q.status ? eq(contacts.status, q.status) : undefined,
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

export const statusIsMailable = (s: ContactStatus) => s === "subscribed";
