import { seamed } from "../../src/lib/seams";
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumeEnrollDlq } from "../../queues/enroll";
import worker from "../../src/index";
import { setClock } from "../../src/lib/clock";
import {
  child,
  drainSend,
  entry,
  fireAlarms,
  fixture,
  ledgerOf,
  runningScenario,
  sentMessages,
  useScenarioQueues,
  stateOf,
} from "../helpers/scenario";
import { PENDING_STALE_MS } from "../../src/services/ledger/recover";

const q = useScenarioQueues();
const T0 = Date.parse("2031-01-06T10:00:00Z");
const MIN = 60_000;

async function runCron(at: number) {
  setClock(at);
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "*/5 * * * *", scheduledTime: at }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("ledger recovery cron", () => {
  it("re-enqueues rows stuck in pending (lost message) or in sending past their lease; the send happens once", async () => {
    setClock(T0);
    const f = await fixture(1);
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      steps: [entry(f.templates[0] as string)],
      contacts: [
        { email: "lost@example.com" },
        { email: "stuck@example.com" },
        { email: "fresh@example.com" },
      ],
    });
    const [lost, stuck, fresh] = contactIds as [string, string, string];
    await fireAlarms(scenarioId, [lost, stuck]);
    q.send.take(); // both SEND messages are lost
    const stuckRow = (await ledgerOf(scenarioId)).find((r) => r.contact_id === stuck);
    // A consumer claimed this one and died before finishing.
    await env.DB.prepare("UPDATE operation_ledger SET status = 'sending', lease_until = ? WHERE id = ?")
      .bind(T0 + 10 * MIN, stuckRow?.id)
      .run();

    // Before the lease and the staleness threshold: nothing to recover.
    await runCron(T0 + 5 * MIN);
    expect(q.send.messages).toEqual([]);

    setClock(T0 + PENDING_STALE_MS + MIN);
    await fireAlarms(scenarioId, [fresh]); // a fresh pending row: must not be re-enqueued
    q.send.take();
    await runCron(T0 + PENDING_STALE_MS + MIN);
    const recovered = q.send.messages.map((m) => (m.body as { ledger_id: string }).ledger_id).sort();
    const rows = await ledgerOf(scenarioId);
    expect(recovered).toEqual(
      rows
        .filter((r) => r.contact_id !== fresh)
        .map((r) => r.id)
        .sort(),
    );
    expect(rows.find((r) => r.contact_id === stuck)).toMatchObject({
      status: "pending",
      reason: "recovered: claim lease expired",
    });
    // Delivered twice (the cron's message and, say, a late original): one provider call each.
    const bodies = q.send.take().map((m) => m.body);
    await drainSend(q, [...bodies, ...bodies]);
    expect((await sentMessages(scenarioId)).map((m) => m.contact_id).sort()).toEqual([lost, stuck].sort());
    // Just re-enqueued rows are not picked again by the next run.
    await runCron(T0 + PENDING_STALE_MS + 6 * MIN);
    expect(q.send.messages.map((m) => (m.body as { ledger_id: string }).ledger_id)).toEqual([]);
  });

  it("a sequence whose send result never came looks the ledger row up itself and moves on", async () => {
    setClock(T0);
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      steps: [entry(a), child(2, "delay", 1, b, { delay_hours: 1 })],
    });
    const [ada] = contactIds as [string];
    await fireAlarms(scenarioId, [ada]);
    const row = (await ledgerOf(scenarioId))[0];
    // The SEND consumer executed it but its onSendResult call was lost.
    await env.DB.prepare("UPDATE operation_ledger SET status = 'executed', updated_at = ? WHERE id = ?")
      .bind(T0 + MIN, row?.id)
      .run();
    setClock(T0 + 15 * MIN);
    await fireAlarms(scenarioId, [ada]);
    const runs = (await stateOf(scenarioId, ada))?.runs ?? [];
    expect(runs.map((r) => [r.step_order, r.status])).toEqual([
      [1, "executed"],
      [2, "scheduled"],
    ]);
    expect(runs[1]?.run_at).toBe(T0 + MIN + 60 * MIN);
  });

  it("ENROLL dead letters go back on the queue later, a few times, then are given up with a log", async () => {
    setClock(T0);
    const f = await fixture(1);
    const { scenarioId } = await runningScenario(f, q, {
      steps: [entry(f.templates[0] as string)],
      contacts: [],
    });
    const page = { scenario_id: scenarioId, organization_id: f.org.id, after_contact_id: "ct_x" };
    const batch = createMessageBatch<unknown>("edge-mail-enroll-dlq", [
      { id: "d1", timestamp: new Date(), attempts: 1, body: page },
      { id: "d2", timestamp: new Date(), attempts: 1, body: { ...page, redrives: 3 } },
      { id: "d3", timestamp: new Date(), attempts: 1, body: { nonsense: true } },
    ]);
    const ctx = createExecutionContext();
    await consumeEnrollDlq(batch, seamed(env), ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["d1", "d2", "d3"]);
    expect(q.enroll.messages).toEqual([{ body: { ...page, redrives: 1 }, delaySeconds: 900 }]);
  });
});
