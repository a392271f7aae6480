/**
 * A two-step journey for 300 contacts while the provider fails 30% of its calls and Durable
 * Objects are restarted mid-transition: between planning a send and hearing its result, and in
 * place of delivering the result. Each contact still gets each step exactly once.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { createSendDlqConsumer } from "../../queues/send-dlq";
import { now, resetClock, setClock } from "../../src/lib/clock";
import { notifySequence } from "../../src/services/sending/notify";
import { json } from "../helpers/api";
import { useNetwork } from "../helpers/network";
import {
  child,
  createScenario,
  drainEnroll,
  entry,
  type Fixture,
  fireAlarms,
  fixture,
  importContacts,
  putSteps,
  seqStub,
  stateOf,
  transition,
  useScenarioQueues,
} from "../helpers/scenario";
import { configureSes } from "../helpers/sending";
import { faultySes, random, runSendQueue } from "./harness";

useNetwork();
const q = useScenarioQueues();
const N = 300;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/**
 * N contacts through a scenario whose journey `define` writes (two emails a day apart), with 30%
 * provider faults, 30% of the send results replaced by a restart of the object, a fifth of the
 * objects restarted between planning and result, and redelivered and duplicated SEND messages.
 */
async function underFaults(
  label: string,
  define: (f: Fixture, scenarioId: string, a: string, b: string) => Promise<void>,
) {
  const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
  setClock(T0);
  const f = await fixture(2);
  const [a, b] = f.templates as [string, string];
  await configureSes(f.org, { max_send_rate: 10_000 });
  const contactIds = await importContacts(f, N, (i) => `s${i}@faults.example,S${i}`);
  const s = await createScenario(f, { provider: "ses" });
  await define(f, s.id, a, b);
  await transition(f, s.id, "start");
  await drainEnroll(q);

  const rand = random(7);
  let restarts = 0;
  const restart = async (contactId: string) => {
    restarts++;
    await runInDurableObject(seqStub(s.id, contactId), (_instance, state) => {
      state.abort("fault injection: restart");
    }).catch(() => undefined);
  };
  let resultsDropped = 0;
  const consumer = createSendConsumer({
    sleep: async () => undefined,
    timeoutMs: 150,
    // 30% of the results never arrive: the object is restarted instead.
    // The rest hand their contact_sequences rows back to the consumer, which writes them per batch.
    notify: async (e, ledger, outcome, rows) => {
      if (ledger.contactId && rand() < 0.3) {
        resultsDropped++;
        await restart(ledger.contactId);
        return;
      }
      await notifySequence(e, ledger, outcome, rows);
    },
  });
  const provider = faultySes(23, 0.3, 400);
  const dlq = createSendDlqConsumer();

  const runStep = async () => {
    await fireAlarms(s.id, contactIds);
    // restart a fifth of the objects between planning the send and its result
    for (const c of contactIds) if (rand() < 0.2) await restart(c);
    await runSendQueue(
      q.send.take().map((m) => m.body),
      { consumer, dlq, seed: 99, redeliverShare: 0.1, duplicateShare: 0.05 },
    );
    // objects that missed their result look the ledger row up (after 15 minutes)
    for (let round = 0; round < 3; round++) {
      setClock(now() + 16 * MIN);
      await fireAlarms(s.id, contactIds);
      if (q.send.messages.length)
        await runSendQueue(
          q.send.take().map((m) => m.body),
          { consumer, dlq, seed: 100 + round },
        );
    }
  };
  await runStep();
  setClock(T0 + 2 * DAY);
  await runStep();

  const rows = (
    await env.DB.prepare(
      "SELECT id, contact_id, step_order, status, reason FROM operation_ledger WHERE scenario_id = ?1",
    )
      .bind(s.id)
      .all<{ id: string; contact_id: string; step_order: number; status: string; reason: string | null }>()
  ).results;
  const byStatus = rows.reduce<Record<string, number>>(
    (n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }),
    {},
  );
  const perContact = new Map<string, number[]>();
  for (const r of rows) perContact.set(r.contact_id, [...(perContact.get(r.contact_id) ?? []), r.step_order]);
  const wrongSteps = [...perContact].filter(([, steps]) => steps.sort().join() !== "1,2");
  const executed = rows.filter((r) => r.status === "executed");
  const lost = executed.filter(
    (r) => provider.acceptedByMessage.get(`msg_${r.id.replace(/^op_/, "")}`) !== 1,
  );
  const duplicates = [...provider.acceptedByMessage.values()].filter((n) => n > 1).length;
  const unfinished = rows.filter((r) => !["executed", "skipped", "failed"].includes(r.status));
  const states = await Promise.all(contactIds.map((c) => stateOf(s.id, c)));
  const notDone = states.filter(
    (st) => st?.runs.filter((r) => r.status === "executed" || r.status === "failed").length !== 2,
  );
  // The contact_sequences rows show what the objects hold (written by them or handed back).
  const mirrored = new Map(
    (
      await env.DB.prepare(
        "SELECT contact_id, status, current_step_order FROM contact_sequences WHERE scenario_id = ?1",
      )
        .bind(s.id)
        .all<{ contact_id: string; status: string; current_step_order: number | null }>()
    ).results.map((r) => [r.contact_id, r]),
  );
  const behind = contactIds.filter((c, i) => {
    const row = mirrored.get(c);
    return row?.status !== states[i]?.status || row?.current_step_order !== states[i]?.current_step_order;
  });
  console.log(
    [
      `fault suite, ${label}: ${N} contacts x 2 emails; ${restarts} object restarts (${resultsDropped} in place of a result)`,
      `  provider: ${provider.calls} calls, ${provider.accepted} accepted, faults ${JSON.stringify(provider.faults)}`,
      `  ledger: ${JSON.stringify(byStatus)}; contacts without exactly emails 1 and 2: ${wrongSteps.length}`,
      `  emails lost ${lost.length}, duplicate provider calls ${duplicates}, unfinished rows ${unfinished.length}, sequences not done ${notDone.length}, rows behind their object ${behind.length}`,
    ].join("\n"),
  );
  expect(rows).toHaveLength(2 * N);
  expect(wrongSteps).toEqual([]);
  expect(unfinished).toEqual([]);
  expect(lost).toEqual([]);
  expect(duplicates).toBe(0);
  expect(notDone).toHaveLength(0);
  expect(behind).toEqual([]);
  expect(resultsDropped).toBeGreaterThan(N * 0.3);
  resetClock();
  return { f, scenarioId: s.id, contactIds, states };
}

describe("fault injection: Durable Objects restarted mid-transition", () => {
  it("every contact gets each of two steps once, with 30% provider faults and restarts", async () => {
    await underFaults("sequences", async (f, id, a, b) => {
      await putSteps(f, id, [entry(a), child(2, "delay", 1, b, { delay_days: 1 })]);
    });
  }, 1_800_000);

  it("a journey: each email node once per run and its action once, every run completed", async () => {
    const { contactIds, states } = await underFaults("journey", async (f, id, a, b) => {
      await json(`/api/v1/scenarios/${id}/flow`, {
        key: f.org.key,
        method: "PUT",
        expect: 200,
        body: {
          entry: { type: "segment" },
          start: "first",
          nodes: [
            { id: "first", type: "email", template_id: a, next: "day" },
            { id: "day", type: "wait", days: 1, next: "points" },
            {
              id: "points",
              type: "action",
              action: { type: "update_score", config: { points: 5 } },
              next: "second",
            },
            { id: "second", type: "email", template_id: b },
          ],
        },
      });
    });
    const scores = await env.DB.prepare(
      "SELECT score, count(*) AS n FROM contacts WHERE id IN (SELECT value FROM json_each(?1)) GROUP BY score",
    )
      .bind(JSON.stringify(contactIds))
      .all<{ score: number; n: number }>();
    expect(scores.results).toEqual([{ score: 5, n: N }]);
    expect(states.filter((st) => st?.status !== "completed")).toHaveLength(0);
  }, 1_800_000);
});
