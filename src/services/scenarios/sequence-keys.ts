import { and, eq, inArray, isNotNull, type SQL } from "drizzle-orm";
import { contactSequences, scenarios } from "../../db/schema";
import { type SequenceEvent, sequenceName } from "../../contracts/sequence";
import type { Tenant } from "../../lib/tenant";

/**
 * contact_sequences is keyed by (scenario_id, contact_id) WITHOUT ROWID and has no contact index
 * (each index entry is a billed row written at every enrollment). A contact's rows are reached
 * through the organization's scenarios instead: one key seek per scenario, and an organization has
 * tens of scenarios, not millions.
 */
export function sequencesOfContact(tenant: Tenant, contactId: string): SQL {
  const orgScenarios = tenant.db
    .select({ id: scenarios.id })
    .from(scenarios)
    .where(eq(scenarios.organizationId, tenant.orgId));
  return and(
    eq(contactSequences.organizationId, tenant.orgId),
    inArray(contactSequences.scenarioId, orgScenarios),
    eq(contactSequences.contactId, contactId),
  ) as SQL;
}

/**
 * Tell an event to the contact's active sequences in the scenarios that match `which` (a condition
 * on `scenarios`): a behaviour event to the journeys that listen for it, a status change to the
 * flow journeys. The event is not about an email (no step).
 */
export async function tellActiveSequences(
  env: Env,
  tenant: Tenant,
  contactId: string,
  which: SQL,
  event: Omit<SequenceEvent, "step_order" | "machine">,
) {
  const chosen = tenant.db
    .select({ id: scenarios.id })
    .from(scenarios)
    .where(and(eq(scenarios.organizationId, tenant.orgId), which));
  const rows = await tenant.db
    .select({ scenarioId: contactSequences.scenarioId })
    .from(contactSequences)
    .where(
      and(
        eq(contactSequences.organizationId, tenant.orgId),
        inArray(contactSequences.scenarioId, chosen),
        eq(contactSequences.contactId, contactId),
        eq(contactSequences.status, "active"),
      ),
    )
    .all();
  await Promise.all(
    rows.map((r) =>
      env.SEQUENCE.get(env.SEQUENCE.idFromName(sequenceName(r.scenarioId, contactId))).onEvent({
        ...event,
        step_order: null,
        machine: false,
      }),
    ),
  );
}

/**
 * A contact that stopped being subscribed outside an event (PATCH status, an admin's change): its
 * active flow journeys hear it as the matching signal (unsubscribed, bounced, complained: their
 * exit_on), once per change (the event id names it). A steps sequence finds out at its next send
 * (the gate stops it with contact_unsubscribed), as it always has.
 */
export async function tellSequencesOfStatus(
  env: Env,
  tenant: Tenant,
  contact: { id: string; status: string; updatedAt: number },
) {
  const type = contact.status as "unsubscribed" | "bounced" | "complained";
  if (!["unsubscribed", "bounced", "complained"].includes(type)) return;
  await tellActiveSequences(env, tenant, contact.id, isNotNull(scenarios.entry), {
    event_id: `status:${contact.id}:${contact.updatedAt}`,
    type,
    occurred_at: contact.updatedAt,
  });
}
