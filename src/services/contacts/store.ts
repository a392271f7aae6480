import { asc, eq, gt, sql } from "drizzle-orm";
import { type ContactStatus, contacts } from "../../db/schema";
import { now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { normalizeEmail } from "../../lib/validation";
import { isSuppressed } from "../suppressions/store";
import type { ContactFields, ContactRow } from "./types";

const uniqueTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim()).filter(Boolean))];

export async function createContact(tenant: Tenant, input: ContactFields & { email: string }) {
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
    locale: input.locale ?? null,
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

/** The contact, or undefined (an erased one is gone). */
export const findContact = (tenant: Tenant, id: string): Promise<ContactRow | undefined> =>
  tenant.db
    .select()
    .from(contacts)
    .where(scoped(tenant, contacts, eq(contacts.id, id)))
    .get();

/** The contact, or a 404. */
export async function getContact(tenant: Tenant, id: string): Promise<ContactRow> {
  const row = await findContact(tenant, id);
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

export async function updateContact(tenant: Tenant, id: string, input: ContactFields) {
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
  if (input.locale !== undefined) set.locale = input.locale;
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

export const statusIsMailable = (s: ContactStatus) => s === "subscribed";
