import { eq } from "drizzle-orm";
import { contacts, suppressions } from "../../db/schema";
import { now } from "../../lib/clock";
import { scoped, type Tenant } from "../../lib/tenant";
import type { ContactRow } from "../contacts/types";
import { CONSENT_TYPES } from "../segments/fields";
import { emailHash } from "../suppressions/store";
import { type ConsentType, consentStatements, consentsView } from "./store";

/** The consents the page asks for: checked ones granted, unchecked ones revoked (only what changed). */
export async function savePreferences(
  tenant: Tenant,
  contact: ContactRow,
  fields: Record<string, string>,
  meta: { ip: string | null; ua: string | null },
) {
  const current = consentsView(contact);
  const statements = [];
  for (const type of CONSENT_TYPES as readonly ConsentType[]) {
    const wanted = fields[type] === "granted" ? "granted" : "revoked";
    if (current[type] === wanted || (current[type] === null && wanted === "revoked")) continue;
    const { statements: s } = await consentStatements(tenant, contact, {
      type,
      state: wanted,
      source: "preferences",
      ip: meta.ip,
      user_agent: meta.ua,
    });
    statements.push(...s);
  }
  if (fields.email_marketing === "granted" && contact.status === "unsubscribed") {
    // Asked for again from the address's own signed link: an opt-in that lifts the unsubscribe.
    statements.push(
      tenant.db
        .update(contacts)
        .set({ status: "subscribed", updatedAt: now() })
        .where(scoped(tenant, contacts, eq(contacts.id, contact.id))),
      tenant.db
        .delete(suppressions)
        .where(
          scoped(
            tenant,
            suppressions,
            eq(suppressions.emailHash, await emailHash(contact.email)),
            eq(suppressions.reason, "unsubscribed"),
          ),
        ),
    );
  }
  if (statements.length)
    await tenant.db.batch(statements as unknown as Parameters<typeof tenant.db.batch>[0]);
}
