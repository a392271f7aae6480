import { and, eq, inArray, type SQL } from "drizzle-orm";
import { contactSequences, scenarios } from "../../db/schema";
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
