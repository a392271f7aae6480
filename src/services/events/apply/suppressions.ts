import { and, eq, inArray, ne } from "drizzle-orm";
import { contactSequences, contacts, scenarios } from "../../../db/schema";
import { now } from "../../../lib/clock";
import { scoped, type Tenant } from "../../../lib/tenant";
import { emailHash, suppressionStatement } from "../../suppressions/store";

export type OptOutKind = "unsubscribed" | "complained";

/**
 * The writes of an opt-out (unsubscribe or complaint), all idempotent so the tracking route and the
 * EVENTS consumer can both run them: the contact's status, the suppression, and every active sequence
 * of a scenario that stops on unsubscribe, stopped now (the SequenceDOs hear it from the event).
 */
export async function optOutStatements(
  tenant: Tenant,
  contact: { id: string; email: string },
  kind: OptOutKind,
  /** What reported it: the unsubscribe link, a provider (ses, brevo), the API. */
  source = "unsubscribe",
) {
  const at = now();
  const hash = await emailHash(contact.email);
  const { db } = tenant;
  // A complaint outranks every status; an unsubscribe only changes a subscribed contact (a bounced
  // address stays bounced). The condition keeps a repeated opt-out from writing anything.
  const from = kind === "complained" ? ne(contacts.status, "complained") : eq(contacts.status, "subscribed");
  const stoppingScenarios = db
    .select({ id: scenarios.id })
    .from(scenarios)
    .where(and(eq(scenarios.organizationId, tenant.orgId), eq(scenarios.stopOnUnsubscribe, true)));
  return [
    db
      .update(contacts)
      .set({ status: kind, updatedAt: at })
      .where(scoped(tenant, contacts, eq(contacts.id, contact.id), from)),
    suppressionStatement(tenant, hash, kind === "complained" ? "complaint" : "unsubscribed", at, {
      email: contact.email,
      source,
    }),
    db
      .update(contactSequences)
      .set({ status: "stopped", stopReason: kind, nextRunAt: null, updatedAt: at })
      .where(
        and(
          eq(contactSequences.organizationId, tenant.orgId),
          inArray(contactSequences.scenarioId, stoppingScenarios),
          eq(contactSequences.contactId, contact.id),
          eq(contactSequences.status, "active"),
        ),
      ),
  ] as const;
}
