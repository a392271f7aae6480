import { eq } from "drizzle-orm";
import { contacts } from "../../../db/schema";
import { scoped, type Tenant } from "../../../lib/tenant";
import { getScenario, settingsOf } from "../store";
import { loadSteps } from "../steps";
import type { ScenarioSettings, StepDef } from "../types";

/**
 * What a sequence needs at enrollment. The ENROLL consumer reads it once per page and passes it
 * along, so enrolling 100 contacts costs one read of the steps instead of a hundred.
 */
export interface EnrollPrefetch {
  steps: StepDef[];
  settings: ScenarioSettings;
  contact_timezone: string | null;
  /** SHA-256 of the contact's normalized address, computed by the consumer's suppression check. */
  email_hash?: string | null;
  /** The enrollment instant, shared with the contact_sequences row the consumer wrote. */
  enrolled_at: number;
}

/** Strip the counters: a sequence keeps the definition of its version, not statistics. */
export const stepDefs = (steps: StepDef[]): StepDef[] =>
  steps.map((s) => ({
    step_id: s.step_id,
    step_order: s.step_order,
    name: s.name,
    trigger: s.trigger,
    parent_step_order: s.parent_step_order,
    delay_minutes: s.delay_minutes,
    template_id: s.template_id,
    variants: s.variants.map((v) => ({
      id: v.id,
      name: v.name,
      template_id: v.template_id,
      weight: v.weight,
    })),
  }));

/** Read it from D1 (an enroll() called without a prefetch). */
export async function loadEnrollPrefetch(
  tenant: Tenant,
  scenarioId: string,
  contactId: string,
  version: number,
  at: number,
): Promise<EnrollPrefetch> {
  const [scenario, steps, contact] = await Promise.all([
    getScenario(tenant, scenarioId),
    loadSteps(tenant, scenarioId, version),
    tenant.db
      .select({ timezone: contacts.timezone })
      .from(contacts)
      .where(scoped(tenant, contacts, eq(contacts.id, contactId)))
      .get(),
  ]);
  return {
    steps: stepDefs(steps),
    settings: settingsOf(scenario),
    contact_timezone: contact?.timezone ?? null,
    enrolled_at: at,
  };
}
