import { desc, eq, sql } from "drizzle-orm";
import { consentRecords, contacts } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { scoped, type Tenant } from "../../lib/tenant";
import { CONSENT_TYPES } from "../segments/fields";
import { emailHash } from "../suppressions/store";
import type { ContactRow } from "../contacts/types";
import { tenantBatch, tenantSql } from "../../lib/tenant-sql";

export type ConsentType = (typeof CONSENT_TYPES)[number];
export type ConsentState = "granted" | "revoked" | "pending";

export interface ConsentInput {
  type: ConsentType;
  state: ConsentState;
  source: string;
  ip?: string | null;
  user_agent?: string | null;
  double_opt_in?: boolean;
}

/** The current state of every consent type (null: never recorded). */
export function consentsView(c: Pick<ContactRow, "consents">) {
  const current = parseJson<Record<string, ConsentState>>(c.consents, {});
  return Object.fromEntries(CONSENT_TYPES.map((t) => [t, current[t] ?? null])) as Record<
    ConsentType,
    ConsentState | null
  >;
}

/**
 * The statements that record a consent change: a new history row (never an update) and the
 * contact's current state, in the caller's batch.
 */
export async function consentStatements(
  tenant: Tenant,
  contact: Pick<ContactRow, "id" | "email">,
  input: ConsentInput,
  at = now(),
) {
  const { db } = tenant;
  const row = {
    id: newId("cns", at),
    organizationId: tenant.orgId,
    contactId: contact.id,
    emailHash: await emailHash(contact.email),
    type: input.type,
    state: input.state,
    source: input.source.slice(0, 100),
    ip: input.ip?.slice(0, 64) ?? null,
    userAgent: input.user_agent?.slice(0, 512) ?? null,
    doubleOptIn: input.double_opt_in ?? false,
    createdAt: at,
  };
  return {
    row,
    statements: [
      db.insert(consentRecords).values(row),
      db
        .update(contacts)
        .set({
          consents: sql`json_set(${contacts.consents}, ${`$.${input.type}`}, ${input.state})`,
          updatedAt: at,
        })
        .where(scoped(tenant, contacts, eq(contacts.id, contact.id))),
    ] as const,
  };
}

export async function recordConsent(
  tenant: Tenant,
  contact: Pick<ContactRow, "id" | "email">,
  input: ConsentInput,
) {
  const { row, statements } = await consentStatements(tenant, contact, input);
  await tenant.db.batch(statements);
  return consentRecordView(row);
}

export function consentRecordView(r: typeof consentRecords.$inferSelect) {
  return {
    id: r.id,
    type: r.type,
    state: r.state,
    granted: r.state === "granted",
    source: r.source,
    ip: r.ip,
    user_agent: r.userAgent,
    double_opt_in: r.doubleOptIn,
    created_at: iso(r.createdAt) as string,
  };
}

/** The contact's consent history, newest first. */
export async function consentHistory(tenant: Tenant, contactId: string) {
  const rows = await tenant.db
    .select()
    .from(consentRecords)
    .where(scoped(tenant, consentRecords, eq(consentRecords.contactId, contactId)))
    .orderBy(desc(consentRecords.id))
    .all();
  return rows.map(consentRecordView);
}

/**
 * Erasure (GDPR): the history is reduced to the hashed address and one revocation per type that
 * was ever recorded, so the organization can still show the person withdrew.
 */
export async function consentErasureStatements(tenant: Tenant, contact: Pick<ContactRow, "id" | "email">) {
  const { db } = tenant;
  const at = now();
  const hash = await emailHash(contact.email);
  const types = await db
    .selectDistinct({ type: consentRecords.type })
    .from(consentRecords)
    .where(scoped(tenant, consentRecords, eq(consentRecords.contactId, contact.id)))
    .all();
  return [
    db.delete(consentRecords).where(scoped(tenant, consentRecords, eq(consentRecords.contactId, contact.id))),
    ...types.map((t, i) =>
      db.insert(consentRecords).values({
        id: newId("cns", at + i),
        organizationId: tenant.orgId,
        contactId: null,
        emailHash: hash,
        type: t.type,
        state: "revoked",
        source: "erasure",
        createdAt: at,
      }),
    ),
  ];
}

/**
 * Many contacts' consent of one type at once (a CSV import): history rows and current states in two
 * statements per 500 contacts, whatever the count.
 */
export async function bulkConsent(
  tenant: Tenant,
  items: { contactId: string; email: string; state: ConsentState }[],
  type: ConsentType,
  source: string,
) {
  const at = now();
  for (let i = 0; i < items.length; i += 500) {
    const part = await Promise.all(
      items.slice(i, i + 500).map(async (x, j) => ({
        id: newId("cns", at + j),
        contact_id: x.contactId,
        email_hash: await emailHash(x.email),
        state: x.state,
      })),
    );
    const json = JSON.stringify(part);
    await tenantBatch(tenant, [
      tenantSql(
        tenant,
        `INSERT INTO consent_records (id, organization_id, contact_id, email_hash, type, state, source, double_opt_in, created_at)
           SELECT j.value ->> 'id', ?1, j.value ->> 'contact_id', j.value ->> 'email_hash', ?2, j.value ->> 'state', ?3, 0, ?4
           FROM json_each(?5) AS j`,
        type,
        source.slice(0, 100),
        at,
        json,
      ),
      tenantSql(
        tenant,
        `UPDATE contacts SET consents = json_set(contacts.consents, ?2, j.value ->> 'state'), updated_at = ?3
           FROM json_each(?4) AS j WHERE contacts.organization_id = ?1 AND contacts.id = j.value ->> 'contact_id'`,
        `$.${type}`,
        at,
        json,
      ),
    ]);
  }
}
