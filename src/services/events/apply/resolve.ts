import { contacts, messages } from "../../../db/schema";
import { placeholders, rowById, rowShape, textPerCount } from "../../../lib/fixed-select";
import type { Tenant } from "../../../lib/tenant";
import { tenantSql } from "../../../lib/tenant-sql";
import { findContactByEmail } from "../../contacts/store";
import type { DraftEvent } from "../types";

export type MessageRow = typeof messages.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type Resolved = { message: MessageRow | null; contact: ContactRow | null };
type Found = { message: MessageRow; contact: ContactRow | null };

/** The rows a batch has read already (apply/resolve-cache.ts ResolveCache). */
export interface RowCache {
  byMessageId(id: string): Found | undefined;
  byExternalId(provider: string, id: string): Found | undefined;
  contact(id: string): ContactRow | undefined;
  keep(found: Found): Found;
  keepContact(contact: ContactRow): ContactRow;
}

const MESSAGE = rowShape(messages, "m");
const CONTACT = rowShape(contacts, "c");
const WITH_CONTACTS = `SELECT ${MESSAGE.list}, ${CONTACT.list} FROM messages AS m
  LEFT JOIN contacts AS c ON c.id = m.contact_id AND c.organization_id = m.organization_id`;

/**
 * Messages by our ids, each with its contact, in fixed text (lib/fixed-select.ts; one text per
 * number of ids, at most 90). The organization is checked as `+organization_id`, which SQLite does
 * not use as an index: it then seeks the primary key once per id. With a plain equality it walks
 * the organization's messages_org_contact entries instead (EXPLAIN QUERY PLAN; about 5,000 rows
 * read per query in the cost bench).
 */
const byIds = textPerCount(
  (n) => `${WITH_CONTACTS} WHERE +m.organization_id = ?1 AND m.id IN (${placeholders(2, n)})`,
);

/** Messages of one provider by its ids (each in every form it may take), with their contacts. */
const byExternalIds = textPerCount(
  (n) =>
    `${WITH_CONTACTS} WHERE m.organization_id = ?1 AND m.provider = ?2 AND m.external_id IN (${placeholders(3, n)})`,
);

const joinedRows = (rows: unknown[][]): Found[] =>
  rows.map((values) => ({
    message: MESSAGE.decode(values) as MessageRow,
    contact: CONTACT.decode(values, MESSAGE.width),
  }));

export const messagesByIds = async (tenant: Tenant, ids: string[]): Promise<Found[]> =>
  ids.length ? joinedRows(await tenantSql(tenant, byIds(ids.length), ...ids).raw()) : [];

export const messagesByExternalIds = async (
  tenant: Tenant,
  provider: string,
  ids: string[],
): Promise<Found[]> =>
  ids.length ? joinedRows(await tenantSql(tenant, byExternalIds(ids.length), provider, ...ids).raw()) : [];

/** Brevo ids are matched with and without their angle brackets. */
export const bareExternalId = (id: string) => id.replace(/^<+/, "").replace(/>+$/, "");
export const externalIds = (id: string) => {
  const bare = bareExternalId(id);
  return [bare, `<${bare}>`];
};

/**
 * Tie a draft to our rows: the message (our id from a token or tag first, then the provider's id
 * by (provider, external_id)) and the contact (the message's, the draft's, else by recipient
 * address). Every lookup is scoped to the organization, so a forged tag cannot reach another
 * organization's message. With a cache (the EVENTS consumer's batch), rows already read or
 * prefetched for the batch are used, as the batch's earlier events left them.
 */
export async function resolveDraft(tenant: Tenant, draft: DraftEvent, cache?: RowCache): Promise<Resolved> {
  let found: Found | undefined;
  if (draft.messageId) {
    found = cache?.byMessageId(draft.messageId) ?? (await messagesByIds(tenant, [draft.messageId]))[0];
  }
  if (!found && draft.provider && draft.externalId) {
    const provider = draft.provider;
    found =
      cache?.byExternalId(provider, draft.externalId) ??
      (await messagesByExternalIds(tenant, provider, externalIds(draft.externalId)))[0];
  }
  if (found && cache) found = cache.keep(found);
  const message = found?.message ?? null;
  let contact = found?.contact ?? undefined;
  const contactId = message?.contactId ?? draft.contactId ?? null;
  if (!contact && contactId && !message?.contactId) {
    contact = cache?.contact(contactId) ?? (await rowById(tenant, contacts, contactId));
  }
  if (!contact && !contactId && draft.email) contact = await findContactByEmail(tenant, draft.email);
  if (contact && cache) contact = cache.keepContact(contact);
  return { message, contact: contact ?? null };
}
