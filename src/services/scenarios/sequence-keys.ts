import { and, eq, inArray, type SQL } from "drizzle-orm";
import { contactSequences, scenarios } from "../../db/schema";
import { sequenceName } from "../../contracts/sequence";
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
 * A contact that stopped being subscribed outside an event (PATCH status, an admin's change): its
 * active sequences hear it as the matching stop signal (unsubscribed, bounced, complained), once
 * per change (the event id names it).
 */
export async function tellSequencesOfStatus(
  env: Env,
  tenant: Tenant,
  contact: { id: string; status: string; updatedAt: number },
) {
  const type = contact.status as "unsubscribed" | "bounced" | "complained";
  if (!["unsubscribed", "bounced", "complained"].includes(type)) return;
  const rows = await tenant.db
    .select({ scenarioId: contactSequences.scenarioId })
    .from(contactSequences)
    .where(and(sequencesOfContact(tenant, contact.id), eq(contactSequences.status, "active")))
    .all();
  await Promise.all(
    rows.map((r) =>
      env.SEQUENCE.get(env.SEQUENCE.idFromName(sequenceName(r.scenarioId, contact.id))).onEvent({
        event_id: `status:${contact.id}:${contact.updatedAt}`,
        type,
        step_order: null,
        machine: false,
        occurred_at: contact.updatedAt,
      }),
    ),
  );
}
