import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import { storeEvent } from "../events/ingest/store";
import { SOURCES, type TrackingRaw } from "../events/normalize/row";
import { optOutStatements } from "../events/apply/suppressions";

/**
 * Unsubscribe a contact from everything, at once: status, suppression, the stop of its active
 * sequences; then an event tells the SequenceDOs (timers) and the rules engine. The one-click
 * unsubscribe (POST /u/:token) and the preference centre's "unsubscribe from all" do this.
 */
export async function unsubscribeContact(
  env: Env,
  tenant: Tenant,
  contact: { id: string; email: string },
  messageId: string | null,
) {
  await tenant.db.batch(await optOutStatements(tenant, contact, "unsubscribed"));
  const raw: TrackingRaw = { kind: "unsubscribe" };
  const day = new Date(now()).toISOString().slice(0, 10);
  await storeEvent(tenant, env.EVENTS_QUEUE, {
    source: SOURCES.tracking,
    // Repeated POSTs (mail clients retry) make one event a day.
    dedupKey: `unsubscribe:${contact.id}:${messageId ?? "-"}:${day}`,
    type: raw.kind,
    contactId: contact.id,
    messageId,
    raw,
  });
}
