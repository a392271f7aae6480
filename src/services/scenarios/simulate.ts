/**
 * POST /scenarios/:id/simulate: the timeline one contact would follow, computed by the engine's
 * own code (state.ts, runner.ts) with in-memory ports and a simulated clock. Nothing is written
 * and nothing is sent; the cap starts from today's real counters, the cooldown from the contact's
 * real last send.
 */
import { iso, now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import type { Tenant } from "../../lib/tenant";
import { getScenario, settingsOf } from "./store";
import { loadEngineContext } from "./engine/cap-cooldown-claim";
import { applySequenceEvent, type EventInput } from "./engine/events";
import { LISTEN_MS, newSequence, type SequenceState } from "./engine/state";
import { DAY_MS } from "./planning";
import { lastSentStep, simulationPorts, walkClock } from "./simulate-ports";
import { simulateFlow } from "./flow/simulate";
import { loadJourney } from "./engine/prefetch";

export interface SimulationInput {
  contact_id: string;
  /** Defaults to now. */
  start_at?: number;
  events: {
    type: EventInput["type"];
    at: number;
    step_order?: number | null;
    machine?: boolean;
    /** A flow journey: the email node an event is about; a custom event's name and properties. */
    node?: string | null;
    name?: string | null;
    properties?: Record<string, unknown>;
  }[];
}

type Entry =
  | {
      type: "send";
      at: string;
      step_order: number;
      step_name: string;
      variant: string;
      template_id: string;
      due_at: string;
      moves: { reason: string; from: string; to: string }[];
    }
  | { type: "skip"; at: string; step_order: number; step_name: string; reason: string }
  | { type: "event"; at: string; event: string; step_order: number | null; effect: string }
  | { type: "end"; at: string; status: string; reason: string | null };

const MAX_ITERATIONS = 1000;

export async function simulateScenario(tenant: Tenant, scenarioId: string, input: SimulationInput) {
  const scenario = await getScenario(tenant, scenarioId);
  if (scenario.stepsVersion === 0)
    throw new ApiError("STEPS_INVALID", "the scenario has no steps to simulate", [
      { field: "steps", message: "no steps" },
    ]);
  const ctx = await loadEngineContext(tenant, scenarioId, input.contact_id);
  if (!ctx.contact) throw notFound("contact");
  const contact = ctx.contact;
  // Simulate as if the scenario were running, whatever its status now.
  const settings = { ...settingsOf(scenario), status: "active" as const };
  const journey = await loadJourney(tenant, scenario, scenario.stepsVersion);
  const steps = journey.steps;
  const start = input.start_at ?? now();
  if (journey.flow)
    return simulateFlow(
      tenant,
      { scenario_id: scenarioId, version: scenario.stepsVersion, flow: journey.flow, steps, settings },
      contact,
      start,
      input.events,
    );
  const s: SequenceState = newSequence(
    {
      organization_id: tenant.orgId,
      scenario_id: scenarioId,
      contact_id: contact.id,
      sequence_id: "simulation",
      steps_version: scenario.stepsVersion,
    },
    steps,
    settings,
    contact.timezone,
    start,
  );
  const timeline: Entry[] = [];
  const clock = { t: start };
  const ports = simulationPorts(tenant, scenarioId, settings, contact, clock, (req) => {
    const step = steps.find((x) => x.step_order === req.run.step_order);
    timeline.push({
      type: "send",
      at: iso(clock.t) as string,
      step_order: req.run.step_order,
      step_name: step?.name ?? "",
      variant: req.run.variant ?? "",
      template_id: req.template_id,
      due_at: iso(req.run.due_at) as string,
      moves: req.run.moves.map((m) => ({
        reason: m.reason,
        from: iso(m.from) as string,
        to: iso(m.to) as string,
      })),
    });
  });

  const last = Math.max(start, ...input.events.map((e) => e.at));
  const reported = new Set<number>();
  await walkClock(
    s,
    ports,
    clock,
    input.events,
    last + LISTEN_MS + DAY_MS,
    async (ev) => {
      const stepOrder = ev.step_order ?? lastSentStep(s, clock.t);
      const effect = await applySequenceEvent(
        s,
        { type: ev.type, step_order: stepOrder, machine: ev.machine ?? false, occurred_at: clock.t },
        ports,
      );
      timeline.push({
        type: "event",
        at: iso(clock.t) as string,
        event: ev.type,
        step_order: stepOrder,
        effect,
      });
    },
    () => {
      for (const r of s.runs) {
        if ((r.status === "skipped" || r.status === "failed") && !reported.has(r.step_order)) {
          reported.add(r.step_order);
          const name = steps.find((x) => x.step_order === r.step_order)?.name ?? "";
          timeline.push({
            type: "skip",
            at: iso(clock.t) as string,
            step_order: r.step_order,
            step_name: name,
            reason: r.reason ?? r.status,
          });
        }
      }
    },
    MAX_ITERATIONS,
  );
  if (s.status !== "active")
    timeline.push({ type: "end", at: iso(clock.t) as string, status: s.status, reason: s.stop_reason });
  return {
    scenario_id: scenarioId,
    contact_id: contact.id,
    steps_version: scenario.stepsVersion,
    started_at: iso(start) as string,
    status: s.status,
    timeline,
    /** Steps still planned past the simulated horizon. */
    pending: s.runs
      .filter((r) => r.status === "scheduled")
      .map((r) => ({ step_order: r.step_order, run_at: iso(r.run_at) as string })),
  };
}
