/**
 * The simulation of a flow journey (POST /scenarios/:id/simulate on a scenario written with PUT
 * /flow): the run's path for one contact under given events, walked by the engine's own code
 * (graph.ts, runner.ts) on a simulated clock. Conditions read the contact as it is now; actions
 * and SMS are reported as applied and do nothing; emails are "accepted" at once and not sent.
 */
import type { Flow } from "../../../contracts/flow";
import { iso } from "../../../lib/clock";
import type { Tenant } from "../../../lib/tenant";
import { applySequenceEvent } from "../engine/events";
import { advance, newFlowSequence } from "../engine/graph";
import type { SequenceState } from "../engine/state";
import { DAY_MS } from "../planning";
import { lastSentStep, simulationPorts, walkClock } from "../simulate-ports";
import type { ContactFacts, ScenarioSettings, StepDef } from "../types";
import { contactMatches, contactValue } from "./contact-facts";

export interface FlowSimEvent {
  type: string;
  at: number;
  /** The email node an open, click or reply is about (default: the last email sent by then). */
  node?: string | null;
  name?: string | null;
  properties?: Record<string, unknown>;
}

const _MAX_ITERATIONS = 2000;
/** How far past the last event the simulation looks (a yearly wait is the longest a flow takes). */
const HORIZON_MS = 400 * DAY_MS;

export async function simulateFlow(
  tenant: Tenant,
  journey: { scenario_id: string; version: number; flow: Flow; steps: StepDef[]; settings: ScenarioSettings },
  contact: ContactFacts,
  start: number,
  input: FlowSimEvent[],
) {
  const { flow, steps, settings } = journey;
  const clock = { t: start };
  const ports = {
    ...simulationPorts(tenant, journey.scenario_id, settings, contact, clock, () => undefined),
    evaluate: (_: SequenceState, criteria: Record<string, unknown>) =>
      contactMatches(tenant, contact.id, criteria),
    contactValue: (_: SequenceState, attribute: string) => contactValue(tenant, contact.id, attribute),
    runAction: async () => ({ status: "executed" as const, detail: "simulated" }),
  };
  const s = newFlowSequence(
    {
      organization_id: tenant.orgId,
      scenario_id: journey.scenario_id,
      contact_id: contact.id,
      sequence_id: "simulation",
      steps_version: journey.version,
    },
    flow,
    steps,
    settings,
    contact.timezone,
    start,
    null,
    "simulation",
  );
  const last = Math.max(start, ...input.map((e) => e.at));
  const heard: { at: number; event: string; effect: string }[] = [];
  await advance(s, ports);
  await walkClock(s, ports, clock, input, last + HORIZON_MS, async (ev) => {
    const order = ev.node ? (flow.orders[ev.node] ?? null) : lastSentStep(s, clock.t);
    const effect = await applySequenceEvent(
      s,
      {
        type: ev.type as never,
        step_order: order,
        machine: false,
        occurred_at: clock.t,
        name: ev.name ?? null,
        properties: ev.properties ?? {},
      },
      ports,
    );
    heard.push({ at: clock.t, event: ev.type, effect });
    await advance(s, ports);
  });
  const typeOf = new Map(flow.nodes.map((n) => [n.id, n.type]));
  return {
    scenario_id: journey.scenario_id,
    contact_id: contact.id,
    version: journey.version,
    started_at: iso(start) as string,
    status: s.status,
    reason: s.stop_reason ?? s.journey?.reason ?? null,
    timeline: (s.journey?.path ?? []).map(([node_id, outcome, at]) => ({
      node_id,
      type: typeOf.get(node_id) ?? null,
      at: iso(at) as string,
      outcome,
    })),
    events: heard.map((h) => ({ at: iso(h.at) as string, type: h.event, effect: h.effect })),
    /** Where the run still waits past the simulated horizon. */
    waiting: (s.tokens ?? []).map((t) => ({
      node_id: t.node,
      until: iso(t.hold ?? t.wake_at) ?? null,
    })),
  };
}
