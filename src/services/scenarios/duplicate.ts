/**
 * Copy a scenario: a draft with the current journey (its flow, or its steps) as version 1, named
 * "<name> (copy)".
 */
import type { Tenant } from "../../lib/tenant";
import { loadFlow, saveFlow } from "./flow/store";
import { saveSteps, loadSteps, stepDefs } from "./steps";
import { createScenario, getScenario, type ScenarioRow, scenarioView } from "./store";

export async function duplicateScenario(tenant: Tenant, id: string): Promise<ScenarioRow> {
  const row = await getScenario(tenant, id);
  const view = scenarioView(row);
  const copy = await createScenario(tenant, {
    ...view,
    name: `${view.name} (copy)`.slice(0, 200),
  });
  const current = row.stepsVersion > 0 ? await loadFlow(tenant, row, row.stepsVersion) : null;
  if (current?.source === "flow") {
    const { orders: _, ...flow } = current.flow;
    await saveFlow(tenant, copy.id, flow);
  } else if (row.stepsVersion > 0) {
    const steps = await loadSteps(tenant, id, row.stepsVersion);
    await saveSteps(
      tenant,
      copy.id,
      stepDefs(steps).map(({ step_id: _, variants, ...s }) => ({
        ...s,
        variants:
          variants.length > 1
            ? variants.map((v) => ({ name: v.name, template_id: v.template_id, weight: v.weight }))
            : undefined,
      })),
    );
  }
  return getScenario(tenant, copy.id);
}
