import { eq } from "drizzle-orm";
import { contacts } from "../../../db/schema";
import { scoped, type Tenant } from "../../../lib/tenant";
import { getScenario, settingsOf } from "../store";
import { loadSteps, stepDefs } from "../steps";
import type { Flow } from "../../../contracts/flow";
import { loadFlow } from "../flow/store";
import type { ScenarioRow } from "../store";
import type { MirrorRow, ScenarioSettings, StepDef } from "../types";
import { newFlowSequence } from "./graph";
import { type NewSequenceInput, newSequence, type SequenceState } from "./state";

/**
 * What a sequence needs at enrollment. The ENROLL consumer reads it once per page and passes it
 * along, so enrolling 100 contacts costs one read of the steps instead of a hundred.
 */
export interface EnrollPrefetch {
  steps: StepDef[];
  /** A version written as a flow (PUT /flow): its graph; absent for a steps version. */
  flow?: Flow;
  settings: ScenarioSettings;
  contact_timezone: string | null;
  /** SHA-256 of the contact's normalized address, computed by the consumer's suppression check. */
  email_hash?: string | null;
  /** The enrollment instant, shared with the contact_sequences row the consumer wrote. */
  enrolled_at: number;
  /** That row as the activation read it: the object mirrors its first transition only if the row differs. */
  row?: MirrorRow;
}

/** A version as a sequence keeps it: its steps, and its graph when it was written as a flow. */
export async function loadJourney(tenant: Tenant, scenario: ScenarioRow, version: number) {
  const [steps, f] = await Promise.all([
    loadSteps(tenant, scenario.id, version),
    loadFlow(tenant, scenario, version),
  ]);
  return { steps: stepDefs(steps), flow: f.source === "flow" ? f.flow : undefined };
}

/** Read it from D1 (an enroll() called without a prefetch). */
export async function loadEnrollPrefetch(
  tenant: Tenant,
  scenarioId: string,
  contactId: string,
  version: number,
  at: number,
): Promise<EnrollPrefetch> {
  const scenario = await getScenario(tenant, scenarioId);
  const [journey, contact] = await Promise.all([
    loadJourney(tenant, scenario, version),
    tenant.db
      .select({ timezone: contacts.timezone })
      .from(contacts)
      .where(scoped(tenant, contacts, eq(contacts.id, contactId)))
      .get(),
  ]);
  return {
    ...journey,
    settings: settingsOf(scenario),
    contact_timezone: contact?.timezone ?? null,
    enrolled_at: at,
  };
}

/** The state of a new enrollment from its prefetch: a journey's first run, or a steps sequence. */
export function enrolledState(input: NewSequenceInput, pre: EnrollPrefetch): SequenceState {
  const { steps, settings, contact_timezone: zone, enrolled_at: at } = pre;
  const hash = pre.email_hash ?? null;
  return pre.flow
    ? newFlowSequence(input, pre.flow, steps, settings, zone, at, hash)
    : newSequence(input, steps, settings, zone, at, hash);
}
