import { and, eq, inArray } from "drizzle-orm";
import { contacts, messages } from "../../db/schema";
import { scoped, type Tenant } from "../../lib/tenant";
import { findContactByEmail } from "../contacts";
import type { DraftEvent } from "./types";

export type MessageRow = typeof messages.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;

async function messageById(tenant: Tenant, id: string) {
  return tenant.db
    .select()
    .from(messages)
    .where(scoped(tenant, messages, eq(messages.id, id)))
    .get();
}

/** By (provider, external_id); Brevo ids are matched with and without their angle brackets. */
async function messageByExternalId(tenant: Tenant, provider: string, externalId: string) {
  const bare = externalId.replace(/^<+/, "").replace(/>+$/, "");
  return tenant.db
    .select()
    .from(messages)
    .where(
      scoped(
        tenant,
        messages,
        and(eq(messages.provider, provider), inArray(messages.externalId, [bare, `<${bare}>`])),
      ),
    )
    .get();
}

/**
 * Tie a draft to our rows: the message (our id from a token or tag first, then the provider's id)
 * and the contact (the message's, the draft's, else by recipient address). Every lookup is scoped to
 * the organization, so a forged tag cannot reach another organization's message.
 */
export async function resolveDraft(
  tenant: Tenant,
  draft: DraftEvent,
): Promise<{ message: MessageRow | null; contact: ContactRow | null }> {
  let message: MessageRow | undefined;
  if (draft.messageId) message = await messageById(tenant, draft.messageId);
  if (!message && draft.provider && draft.externalId) {
    message = await messageByExternalId(tenant, draft.provider, draft.externalId);
  }
  const contactId = message?.contactId ?? draft.contactId ?? null;
  let contact: ContactRow | undefined;
  if (contactId) {
    contact = await tenant.db
      .select()
      .from(contacts)
      .where(scoped(tenant, contacts, eq(contacts.id, contactId)))
      .get();
  }
  if (!contact && !contactId && draft.email) contact = await findContactByEmail(tenant, draft.email);
  return { message: message ?? null, contact: contact ?? null };
}
