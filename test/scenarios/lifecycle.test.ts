import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { json } from "../helpers/api";
import {
  child,
  drainEnroll,
  drainSend,
  entry,
  fireAlarms,
  fixture,
  ledgerOf,
  runningScenario,
  sentMessages,
  transition,
  useScenarioQueues,
  stateOf,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.parse("2031-01-06T10:00:00Z");
const HOUR = 3_600_000;

async function fiveContacts() {
  setClock(T0);
  const f = await fixture(2);
  const [a, b] = f.templates as [string, string];
  const contacts = Array.from({ length: 5 }, (_, i) => ({ email: `c${i}@example.com` }));
  const s = await runningScenario(f, q, {
    steps: [entry(a), child(2, "delay", 1, b, { delay_hours: 2 })],
    contacts,
  });
  return { f, ...s };
}

describe("pause, resume, stop with steps already due", () => {
  it("pause: nothing is sent, due steps wait; resume: they continue, none lost, none doubled", async () => {
    const { f, scenarioId, contactIds } = await fiveContacts();
    const [first, ...rest] = contactIds as [string, ...string[]];
    // One send is committed (ledger row + SEND message) just before the pause, not yet delivered.
    await fireAlarms(scenarioId, [first]);
    const inFlight = q.send.take().map((m) => m.body);
    expect(inFlight).toHaveLength(1);
    await transition(f, scenarioId, "pause");
    // The committed row was withdrawn: its delivery after the pause sends nothing.
    await drainSend(q, inFlight);
    expect(await sentMessages(scenarioId)).toEqual([]);
    // The others' steps are due: their alarms run while paused and send nothing.
    setClock(T0 + HOUR);
    await fireAlarms(scenarioId, contactIds);
    expect(q.send.messages).toEqual([]);
    expect((await ledgerOf(scenarioId)).map((r) => [r.status, r.reason])).toEqual([
      ["skipped", "scenario_paused"],
    ]);
    expect((await stateOf(scenarioId, rest[0] as string))?.parked_until).not.toBeNull();

    await transition(f, scenarioId, "resume");
    expect(await drainEnroll(q)).toBe(1); // one wake sweep page
    await fireAlarms(scenarioId, contactIds);
    await drainSend(q);
    const sent = await sentMessages(scenarioId);
    expect(sent.map((m) => m.contact_id).sort()).toEqual([...contactIds].sort());
    expect(sent.every((m) => m.step_order === 1)).toBe(true);
    // The withdrawn row stays skipped with its reason; a second attempt carried the send.
    const firstRows = (await ledgerOf(scenarioId)).filter((r) => r.contact_id === first);
    expect(firstRows.map((r) => r.status).sort()).toEqual(["executed", "skipped"]);
    // Step 2 follows two hours after each send.
    setClock(T0 + 3 * HOUR);
    await fireAlarms(scenarioId, contactIds);
    await drainSend(q);
    expect((await sentMessages(scenarioId)).length).toBe(10);
    const detail = await json(`/api/v1/scenarios/${scenarioId}`, { key: f.org.key });
    expect(detail.steps.map((s: { sent: number }) => s.sent)).toEqual([5, 5]);
  });

  it("stop: every sequence ends, sends not yet claimed are withdrawn, and nothing more is sent", async () => {
    const { f, scenarioId, contactIds } = await fiveContacts();
    const [first] = contactIds as [string];
    await fireAlarms(scenarioId, [first]);
    const inFlight = q.send.take().map((m) => m.body);
    await transition(f, scenarioId, "stop");
    await drainEnroll(q); // stop sweep
    await drainSend(q, inFlight);
    setClock(T0 + 5 * HOUR);
    await fireAlarms(scenarioId, contactIds);
    expect(await sentMessages(scenarioId)).toEqual([]);
    const detail = await json(`/api/v1/scenarios/${scenarioId}`, { key: f.org.key });
    expect(detail.status).toBe("stopped");
    expect(detail.sequences).toEqual({ active: 0, completed: 0, stopped: 5, failed: 0 });
    for (const c of contactIds) {
      const state = await stateOf(scenarioId, c);
      expect(state?.status).toBe("stopped");
      for (const r of state?.runs ?? [])
        expect(r).toMatchObject({ status: "skipped", reason: "scenario_stopped" });
    }
    expect((await ledgerOf(scenarioId)).map((r) => [r.status, r.reason])).toEqual([
      ["skipped", "scenario_stopped"],
    ]);
  });
});
