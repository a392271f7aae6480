import { describe, expect, it } from "vitest";
import type { ClaimRequest, CommitRequest, EnginePorts } from "../../src/services/scenarios/engine/ports";
import { processDue } from "../../src/services/scenarios/engine/runner";
import { newSequence, type SequenceState } from "../../src/services/scenarios/engine/state";
import type { ScenarioSettings, StepDef } from "../../src/services/scenarios/types";

const T0 = Date.parse("2031-01-06T10:00:00Z");
const settings: ScenarioSettings = {
  id: "scn_1",
  organization_id: "org_1",
  status: "active",
  timezone: null,
  send_window_start: null,
  send_window_end: null,
  send_days: null,
  daily_cap: null,
  cooldown_days: 1,
  stop_on_reply: true,
  stop_on_unsubscribe: true,
};
const steps: StepDef[] = [
  {
    step_id: "stp_1",
    step_order: 1,
    name: "Welcome",
    trigger: "entry",
    parent_step_order: null,
    delay_minutes: 0,
    template_id: "tpl_1",
    variants: [{ id: "var_1", name: "default", template_id: "tpl_1", weight: 100 }],
  },
];

/**
 * In-memory ports that record what the engine writes to the object's storage (a copy per persist)
 * and what it asks of D1: the claim and the ledger row.
 */
function recordingPorts(lastSentAt: () => number | null, clock: { t: number } = { t: T0 }) {
  const saved: SequenceState[] = [];
  const claims: ClaimRequest[] = [];
  const commits: CommitRequest[] = [];
  const ports: EnginePorts = {
    now: () => clock.t,
    persist: (s) => saved.push(structuredClone(s)),
    loadContext: async () => ({
      settings,
      contact: {
        id: "ct_1",
        status: "subscribed",
        timezone: null,
        last_sent_at: lastSentAt(),
        suppressed: false,
        email_hash: "h",
      },
    }),
    claim: async (req) => {
      claims.push(req);
      return { ok: true };
    },
    commitSend: async (req) => {
      commits.push(structuredClone(req));
      return { ledger_id: "led_1", status: "pending", reason: null, at: T0 };
    },
    settleLedger: async () => null,
    ledgerState: async () => ({ status: "pending", reason: null, at: clock.t }),
  };
  return { ports, saved, claims, commits };
}

const newState = () =>
  newSequence(
    {
      organization_id: "org_1",
      scenario_id: "scn_1",
      contact_id: "ct_1",
      sequence_id: "seq_1",
      steps_version: 1,
    },
    steps,
    settings,
    null,
    T0,
    "h",
  );

describe("engine: what a send saves in the object, and when it looks at its row again", () => {
  it("saves the claim's decision once before the claim; the ledger row goes out without a second save", async () => {
    const s = newState();
    const first = recordingPorts(() => null);
    await processDue(s, first.ports);
    const run = s.runs[0];
    expect(run?.status).toBe("sending");
    expect(run?.ledger_id).toBe("led_1");
    expect(first.claims).toHaveLength(1);
    expect(first.commits).toHaveLength(1);
    // One save in the transition before the caller's own (SequenceDO.finish): the run committing,
    // with its claim instant, written before the claim's I/O. (Two before: "sending" was saved again.)
    expect(first.saved.map((x) => x.runs[0]?.status)).toEqual(["committing"]);
    expect(first.saved[0]?.runs[0]?.commit_at).toBe(T0);

    // The object restarts with that save (the transition's final save lost): the claim is found by
    // its stamp on the contact, not taken again, and the ledger row is asked for with the same run
    // attempt, so its idempotency key finds the row already written.
    const restored = first.saved[0] as SequenceState;
    const again = recordingPorts(() => T0);
    await processDue(restored, again.ports);
    expect(again.claims).toHaveLength(0);
    expect(again.commits).toHaveLength(1);
    expect(again.commits[0]?.run.attempt).toBe(first.commits[0]?.run.attempt);
    expect(again.commits[0]?.run.commit_at).toBe(T0);
    expect(restored.runs[0]?.status).toBe("sending");
    expect(restored.runs[0]?.ledger_id).toBe("led_1");
  });

  it("looks again at a row still waiting as long after as it has waited: 15 min, 30, 1 h ... at most 6 h", async () => {
    const MIN = 60_000;
    const s = newState();
    const clock = { t: T0 };
    const ports = recordingPorts(() => null, clock).ports;
    await processDue(s, ports);
    const run = s.runs[0];
    expect(run?.status).toBe("sending");
    expect(run?.run_at).toBe(T0 + 15 * MIN);
    const looks: number[] = [];
    for (let i = 0; i < 8; i++) {
      clock.t = run?.run_at ?? 0;
      await processDue(s, ports);
      looks.push(((run?.run_at ?? 0) - clock.t) / MIN);
    }
    // The row never became final here: the run is still sending, and looked at less and less often.
    expect(run?.status).toBe("sending");
    expect(looks).toEqual([15, 30, 60, 120, 240, 360, 360, 360]);
  });
});
