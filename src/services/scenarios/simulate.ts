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
import { stepDefs } from "./engine/prefetch";
import { applySequenceEvent, type EventInput } from "./engine/events";
import type { EnginePorts } from "./engine/ports";
import { nextWake } from "./engine/progress";
import { processDue } from "./engine/runner";
import { LISTEN_MS, newSequence, type SequenceState } from "./engine/state";
import { DAY_MS } from "./planning";
import { loadSteps } from "./steps";
import { tenantSql } from "../../lib/tenant-sql";

export interface SimulationInput {
  contact_id: string;
  /** Defaults to now. */
  start_at?: number;
  events: { type: EventInput["type"]; at: number; step_order?: number | null; machine?: boolean }[];
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
  const steps = stepDefs(await loadSteps(tenant, scenarioId, scenario.stepsVersion));
  const start = input.start_at ?? now();
  let t = start;
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
  let lastSent = contact.last_sent_at;
  const capCounts = new Map<string, number>();
  let sends = 0;
  const ports: EnginePorts = {
    now: () => t,
    persist: () => undefined,
    loadContext: async () => ({ settings, contact: { ...contact, last_sent_at: lastSent } }),
    async claim(req) {
      if (
        req.cooldown_ms > 0 &&
        lastSent !== null &&
        lastSent !== req.prev_commit_at &&
        lastSent > req.commit_at - req.cooldown_ms
      ) {
        return { ok: false, reason: "cooldown", until: lastSent + req.cooldown_ms };
      }
      if (req.daily_cap !== null) {
        let used = capCounts.get(req.day);
        if (used === undefined) {
          // The counters have no organization column: the scenario's own row scopes them.
          const row = await tenantSql(
            tenant,
            `SELECT c.count FROM scenario_daily_counters c JOIN scenarios s ON s.id = c.scenario_id AND s.organization_id = ?1
             WHERE c.scenario_id = ?2 AND c.day = ?3`,
            scenarioId,
            req.day,
          ).first<{ count: number }>();
          used = row?.count ?? 0;
        }
        if (used >= req.daily_cap) return { ok: false, reason: "cap" };
        capCounts.set(req.day, used + 1);
      }
      lastSent = req.commit_at;
      return { ok: true };
    },
    async commitSend(req) {
      const step = steps.find((x) => x.step_order === req.run.step_order);
      timeline.push({
        type: "send",
        at: iso(t) as string,
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
      // The provider "accepts" it at once: the run is executed at the simulated instant.
      return { ledger_id: `simulated_${++sends}`, status: "executed", reason: null, at: t };
    },
    settleLedger: async () => null,
    ledgerState: async () => null,
  };

  const events = [...input.events].sort((a, b) => a.at - b.at);
  const horizon = Math.max(start, events[events.length - 1]?.at ?? start) + LISTEN_MS + DAY_MS;
  const reported = new Set<number>();
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const wake = nextWake(s, t);
    const ev = events[0];
    if (ev && (wake === null || ev.at <= wake)) {
      events.shift();
      t = Math.max(t, ev.at);
      const stepOrder = ev.step_order ?? lastSentStep(s, t);
      const effect = await applySequenceEvent(
        s,
        { type: ev.type, step_order: stepOrder, machine: ev.machine ?? false, occurred_at: t },
        ports,
      );
      timeline.push({ type: "event", at: iso(t) as string, event: ev.type, step_order: stepOrder, effect });
    } else if (wake !== null && wake <= horizon) {
      t = Math.max(t, wake);
      await processDue(s, ports);
    } else break;
    for (const r of s.runs) {
      if ((r.status === "skipped" || r.status === "failed") && !reported.has(r.step_order)) {
        reported.add(r.step_order);
        const name = steps.find((x) => x.step_order === r.step_order)?.name ?? "";
        timeline.push({
          type: "skip",
          at: iso(t) as string,
          step_order: r.step_order,
          step_name: name,
          reason: r.reason ?? r.status,
        });
      }
    }
  }
  if (s.status !== "active")
    timeline.push({ type: "end", at: iso(t) as string, status: s.status, reason: s.stop_reason });
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

/** The step an event without a step_order refers to: the last one sent by then. */
function lastSentStep(s: SequenceState, t: number): number | null {
  const sent = s.runs.filter((r) => r.status === "executed" && r.sent_at !== null && r.sent_at <= t);
  sent.sort((a, b) => (b.sent_at ?? 0) - (a.sent_at ?? 0));
  return sent[0]?.step_order ?? null;
}
