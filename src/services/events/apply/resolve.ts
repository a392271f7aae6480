import { and, eq, inArray, type SQL } from "drizzle-orm";
import { contacts, messages } from "../../../db/schema";
import { scoped, type Tenant } from "../../../lib/tenant";
import { findContactByEmail } from "../../contacts/store";
import type { DraftEvent } from "../types";

export type MessageRow = typeof messages.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;

/** The message and its contact in one query. */
function messageWithContact(tenant: Tenant, where: SQL | undefined) {
  return tenant.db
    .select({ message: messages, contact: contacts })
    .from(messages)
    .leftJoin(
      contacts,
      and(eq(contacts.id, messages.contactId), eq(contacts.organizationId, messages.organizationId)),
    )
    .where(scoped(tenant, messages, where))
    .get();
}

/** Brevo ids are matched with and without their angle brackets. */
const externalIds = (id: string) => {
  const bare = id.replace(/^<+/, "").replace(/>+$/, "");
  return [bare, `<${bare}>`];
};

/**
 * Tie a draft to our rows: the message (our id from a token or tag first, then the provider's id
 * by (provider, external_id)) and the contact (the message's, the draft's, else by recipient
 * address). Every lookup is scoped to the organization, so a forged tag cannot reach another
 * organization's message.
 */
export async function resolveDraft(
  tenant: Tenant,
  draft: DraftEvent,
): Promise<{ message: MessageRow | null; contact: ContactRow | null }> {
  let found = draft.messageId
    ? await messageWithContact(tenant, eq(messages.id, draft.messageId))
    : undefined;
  if (!found && draft.provider && draft.externalId) {
    const provider = draft.provider;
    found = await messageWithContact(
      tenant,
      and(eq(messages.provider, provider), inArray(messages.externalId, externalIds(draft.externalId))),
    );
  }
  const message = found?.message ?? null;
  let contact = found?.contact ?? undefined;
  const contactId = message?.contactId ?? draft.contactId ?? null;
  if (!contact && contactId && !message?.contactId) {
    contact = await tenant.db
      .select()
      .from(contacts)
      .where(scoped(tenant, contacts, eq(contacts.id, contactId)))
      .get();
  }
  if (!contact && !contactId && draft.email) contact = await findContactByEmail(tenant, draft.email);
  return { message, contact: contact ?? null };
}
