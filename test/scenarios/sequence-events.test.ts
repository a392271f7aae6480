import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SequenceEvent } from "../../src/contracts/sequence";
import { setClock } from "../../src/lib/clock";
import { json } from "../helpers/api";
import {
  child,
  drainSend,
  entry,
  fireAlarms,
  fixture,
  ledgerOf,
  runningScenario,
  sentMessages,
  seqStub,
  useScenarioQueues,
  stateOf,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.parse("2031-01-06T10:00:00Z");
const HOUR = 3_600_000;
const DEADLINE = T0 + 24 * HOUR;
let eventSeq = 0;

const ev = (type: SequenceEvent["type"], at: number, extra: Partial<SequenceEvent> = {}): SequenceEvent => ({
  event_id: `ev_${++eventSeq}`,
  type,
  step_order: 1,
  machine: false,
  occurred_at: at,
  ...extra,
});

/** Entry (1); not_opened after a day (2); opened (3); clicked after an hour (4). Step 1 sent at T0 to every contact. */
async function branching(n: number, settings: Record<string, unknown> = {}) {
  setClock(T0);
  const f = await fixture(3);
  const [a, b, c] = f.templates as [string, string, string];
  const contacts = Array.from({ length: n }, (_, i) => ({ email: `c${i}@example.com` }));
  const s = await runningScenario(f, q, {
    settings,
    steps: [
      entry(a),
      child(2, "not_opened", 1, b, { delay_days: 1 }),
      child(3, "opened", 1, c),
      child(4, "clicked", 1, c, { delay_hours: 1 }),
    ],
    contacts,
  });
  await fireAlarms(s.scenarioId, s.contactIds);
  await drainSend(q);
  return { ...s, f };
}

const stepsSent = async (scenarioId: string, contactId: string) =>
  (await ledgerOf(scenarioId))
    .filter((r) => r.contact_id === contactId && r.status !== "skipped")
    .map((r) => r.step_order);

describe("SequenceDO events", () => {
  it("an open and the not_opened deadline at the same instant: exactly one branch runs, in any order", async () => {
    const { scenarioId, contactIds } = await branching(3);
    const [openFirst, deadlineFirst, together] = contactIds as [string, string, string];
    setClock(DEADLINE);
    expect(await seqStub(scenarioId, openFirst).onEvent(ev("opened", DEADLINE))).toEqual({
      result: "opened",
    });
    await fireAlarms(scenarioId, [openFirst]);
    expect(await stepsSent(scenarioId, openFirst)).toEqual([1, 3]);

    await fireAlarms(scenarioId, [deadlineFirst]);
    await seqStub(scenarioId, deadlineFirst).onEvent(ev("opened", DEADLINE));
    await fireAlarms(scenarioId, [deadlineFirst]);
    expect(await stepsSent(scenarioId, deadlineFirst)).toEqual([1, 2]);

    const stub = seqStub(scenarioId, together);
    await Promise.all([runDurableObjectAlarm(stub), stub.onEvent(ev("opened", DEADLINE))]);
    await fireAlarms(scenarioId, [together]);
    const sent = await stepsSent(scenarioId, together);
    expect(sent[0]).toBe(1);
    expect(sent.slice(1).length === 1 && [2, 3].includes(sent[1] as number)).toBe(true);
  });

  it("a click cancels not_opened and schedules clicked children; machine opens trigger nothing", async () => {
    const { scenarioId, contactIds } = await branching(2);
    const [clicker, machine] = contactIds as [string, string];
    setClock(T0 + 2 * HOUR);
    await seqStub(scenarioId, clicker).onEvent(ev("clicked", T0 + 2 * HOUR));
    expect(
      await seqStub(scenarioId, machine).onEvent(ev("opened", T0 + 2 * HOUR, { machine: true })),
    ).toEqual({ result: "machine_ignored" });
    const clickerRuns = (await stateOf(scenarioId, clicker))?.runs ?? [];
    expect(clickerRuns.find((r) => r.step_order === 2)).toMatchObject({
      status: "skipped",
      reason: "parent_clicked",
    });
    expect(clickerRuns.find((r) => r.step_order === 4)).toMatchObject({
      status: "scheduled",
      run_at: T0 + 3 * HOUR,
    });
    setClock(DEADLINE);
    await fireAlarms(scenarioId, contactIds);
    expect(await stepsSent(scenarioId, clicker)).toEqual([1, 4]);
    expect(await stepsSent(scenarioId, machine)).toEqual([1, 2]);
  });

  it("duplicate events and redelivered send results are applied once", async () => {
    const { scenarioId, contactIds } = await branching(1);
    const [ada] = contactIds as [string];
    const stub = seqStub(scenarioId, ada);
    const open = ev("opened", T0 + HOUR);
    setClock(T0 + HOUR);
    expect(await stub.onEvent(open)).toEqual({ result: "opened" });
    expect(await stub.onEvent(open)).toEqual({ result: "duplicate" });
    await fireAlarms(scenarioId, [ada]);
    const sendBody = q.send.messages[0]?.body;
    await drainSend(q);
    // The SEND message delivered again: the claim makes it a no-op; the result reported again changes nothing.
    await drainSend(q, [sendBody]);
    const row = (await ledgerOf(scenarioId)).find((r) => r.step_order === 3);
    expect(
      await stub.onSendResult({ ledger_id: row?.id ?? "", step_order: 3, status: "executed", at: T0 + HOUR }),
    ).toEqual({ applied: false });
    expect((await sentMessages(scenarioId)).map((m) => m.step_order)).toEqual([1, 3]);
  });

  it("an open seen before the send result is kept and applied once the send is recorded", async () => {
    setClock(T0);
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      steps: [entry(a), child(2, "not_opened", 1, b, { delay_days: 1 }), child(3, "opened", 1, b)],
    });
    const [ada] = contactIds as [string];
    await fireAlarms(scenarioId, [ada]);
    expect(await seqStub(scenarioId, ada).onEvent(ev("opened", T0 + 1000))).toEqual({ result: "opened" });
    await drainSend(q);
    const runs = (await stateOf(scenarioId, ada))?.runs ?? [];
    expect(runs.map((r) => [r.step_order, r.status])).toEqual([
      [1, "executed"],
      [2, "skipped"],
      [3, "scheduled"],
    ]);
  });

  it("bounce, complaint and unsubscribe stop the sequence; a reply stops it only with stop_on_reply", async () => {
    const { scenarioId, contactIds, f } = await branching(4);
    const types = ["bounced", "complained", "unsubscribed", "replied"] as const;
    for (const [i, type] of types.entries()) {
      expect(
        await seqStub(scenarioId, contactIds[i] as string).onEvent(ev(type, T0 + HOUR, { step_order: null })),
      ).toEqual({ result: "stopped" });
    }
    const seqs = await json(`/api/v1/scenarios/${scenarioId}/sequences`, { key: f.org.key });
    expect(
      seqs.items.map((i: { status: string; stop_reason: string }) => [i.status, i.stop_reason]).sort(),
    ).toEqual(types.map((t) => ["stopped", t]).sort());
    const run2 = (await stateOf(scenarioId, contactIds[0] as string))?.runs.find((r) => r.step_order === 2);
    expect(run2).toMatchObject({ status: "skipped", reason: "bounced" });
    setClock(DEADLINE);
    await fireAlarms(scenarioId, contactIds);
    expect((await ledgerOf(scenarioId)).map((r) => r.step_order)).toEqual([1, 1, 1, 1]);

    const kept = await branching(1, { stop_on_reply: false });
    const [ada] = kept.contactIds as [string];
    expect(
      await seqStub(kept.scenarioId, ada).onEvent(ev("replied", T0 + HOUR, { step_order: null })),
    ).toEqual({ result: "kept" });
    setClock(DEADLINE);
    await fireAlarms(kept.scenarioId, [ada]);
    expect(await stepsSent(kept.scenarioId, ada)).toEqual([1, 2]);
  });
});
