/**
 * The engine's ports for a simulation (POST /scenarios/:id/simulate): a simulated clock, the
 * contact as it is now, the cooldown from its real last send and the cap from today's real
 * counters, and a provider that accepts every send at once. Nothing is written, nothing is sent.
 */
import type { Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";
import type { CommitRequest, EnginePorts } from "./engine/ports";
import { nextWake } from "./engine/progress";
import { processDue } from "./engine/runner";
import type { SequenceState } from "./engine/state";
import type { ContactFacts, ScenarioSettings } from "./types";

export interface SimClock {
  t: number;
}

export function simulationPorts(
  tenant: Tenant,
  scenarioId: string,
  settings: ScenarioSettings,
  contact: ContactFacts,
  clock: SimClock,
  onSend: (req: CommitRequest) => void,
): EnginePorts {
  let lastSent = contact.last_sent_at;
  const capCounts = new Map<string, number>();
  let sends = 0;
  return {
    now: () => clock.t,
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
      onSend(req);
      // The provider "accepts" it at once: the run is executed at the simulated instant.
      return { ledger_id: `simulated_${++sends}`, status: "executed", reason: null, at: clock.t };
    },
    settleLedger: async () => null,
    ledgerState: async () => null,
  };
}

/** The step an event without a step_order refers to: the last one sent by then. */
export function lastSentStep(s: SequenceState, t: number): number | null {
  const sent = s.runs.filter((r) => r.status === "executed" && r.sent_at !== null && r.sent_at <= t);
  sent.sort((a, b) => (b.sent_at ?? 0) - (a.sent_at ?? 0));
  return sent[0]?.step_order ?? null;
}

/**
 * Walk the simulated clock: each event at its time, each wake-up of the sequence in between,
 * until nothing is due before the horizon. `after` runs after every step (the timeline's skips).
 */
export async function walkClock<E extends { at: number }>(
  s: SequenceState,
  ports: EnginePorts,
  clock: SimClock,
  input: E[],
  horizon: number,
  onEvent: (ev: E) => Promise<void>,
  after: () => void = () => undefined,
  maxSteps = 2000,
) {
  const events = [...input].sort((a, b) => a.at - b.at);
  for (let i = 0; i < maxSteps; i++) {
    const wake = nextWake(s, clock.t);
    const ev = events[0];
    if (ev && (wake === null || ev.at <= wake)) {
      events.shift();
      clock.t = Math.max(clock.t, ev.at);
      await onEvent(ev);
    } else if (wake !== null && wake <= horizon) {
      clock.t = Math.max(clock.t, wake);
      await processDue(s, ports);
    } else break;
    after();
  }
}
