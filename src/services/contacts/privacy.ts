import type { BatchItem } from "drizzle-orm/batch";
import { sequencesOfContact } from "../scenarios/sequence-keys";
import { and, eq, inArray } from "drizzle-orm";
import {
  campaignRecipients,
  campaigns,
  contactSequences,
  contacts,
  events,
  interactions,
  messages,
  scoreHistory,
  segmentMembers,
  segments,
  journeyRuns,
} from "../../db/schema";
import { consentErasureStatements, consentHistory } from "../consent/store";
import { iso, now } from "../../lib/clock";
import { parseJson } from "../../lib/json";
import { scoped, type Tenant } from "../../lib/tenant";
import { getContact } from "./store";
import { suppress } from "../suppressions/store";
import { withdrawContactStatement } from "../ledger/settle";
import { contactView } from "./view";

/**
 * GDPR erase: the contact row and everything keyed to it go in one batch; the address stays
 * suppressed as a hash, so it is never mailed again and cannot be read back.
 */
export async function eraseContact(tenant: Tenant, id: string) {
  const contact = await getContact(tenant, id);
  await suppress(tenant, contact.email, "erased", "erasure");
  const { db } = tenant;
  const consentRows = await consentErasureStatements(tenant, contact);
  // Pending sends are recent (a send of an erased contact is skipped at send time anyway).
  const recent = `op_${Math.floor(now() - 86_400_000)
    .toString(16)
    .padStart(12, "0")}`;
  const statements: BatchItem<"sqlite">[] = [
    ...consentRows,
    db
      .delete(segmentMembers)
      .where(
        and(
          eq(segmentMembers.organizationId, tenant.orgId),
          inArray(
            segmentMembers.segmentId,
            db.select({ id: segments.id }).from(segments).where(eq(segments.organizationId, tenant.orgId)),
          ),
          eq(segmentMembers.contactId, id),
        ),
      ),
    db
      .delete(campaignRecipients)
      .where(
        and(
          eq(campaignRecipients.organizationId, tenant.orgId),
          inArray(
            campaignRecipients.campaignId,
            db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.organizationId, tenant.orgId)),
          ),
          eq(campaignRecipients.contactId, id),
        ),
      ),
    db.delete(messages).where(scoped(tenant, messages, eq(messages.contactId, id))),
    db.delete(events).where(scoped(tenant, events, eq(events.contactId, id))),
    db.delete(scoreHistory).where(scoped(tenant, scoreHistory, eq(scoreHistory.contactId, id))),
    db.delete(interactions).where(scoped(tenant, interactions, eq(interactions.contactId, id))),
    db.delete(journeyRuns).where(scoped(tenant, journeyRuns, eq(journeyRuns.contactId, id))),
    db
      .update(contactSequences)
      .set({ status: "stopped", stopReason: "contact_erased", nextRunAt: null, updatedAt: now() })
      .where(and(sequencesOfContact(tenant, id), eq(contactSequences.status, "active"))),
    withdrawContactStatement(tenant, id, recent, now()),
    db.delete(contacts).where(scoped(tenant, contacts, eq(contacts.id, id))),
  ];
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
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
      .where(sequencesOfContact(tenant, id)),
  ]);
  return {
    exported_at: iso(now()),
    contact: contactView(contact),
    messages: msgs.map((m) => ({ ...m, sent_at: iso(m.sent_at) })),
    events: evts.map((e) => ({ ...e, occurred_at: iso(e.occurred_at), raw: parseJson(e.raw, e.raw) })),
    score_history: scores.map((s) => ({ ...s, at: iso(s.at) })),
    interactions: inbox,
    sequences: seqs,
    consents: await consentHistory(tenant, id),
  };
}
