import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { meteredEnv, readUsage, resetUsage } from "../../src/lib/metering";
import { setClock } from "../../src/lib/clock";
import { setTestSeams } from "../../src/lib/seams";
import { json } from "../helpers/api";
import {
  child,
  createScenario,
  drainEnroll,
  drainSend,
  entry,
  fireAlarms,
  fixture,
  importContacts,
  ledgerOf,
  putSteps,
  seqStub,
  transition,
  useScenarioQueues,
  stateOf,
} from "../helpers/scenario";

const q = useScenarioQueues();
const N = 2_000;
const OPENERS = 100;
const T0 = Date.parse("2031-01-06T10:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Rows written per step by the engine when it commits a send, and per executed step in all. */
const PLAN_ROWS = 3.05;
// 9.25 before the deliverability guard; its send_health row per SEND batch and scope adds one row per
// batch (batches of 10 here: +0.05 per step measured; SEND batches of 50 in production: +0.02).
const STEP_ROWS = 9.32;

/**
 * D1 rows read and written (index entries included, as D1 bills them) by the engine's own code
 * while `fn` runs: the ENROLL consumer and the SequenceDO (the SEND consumer's are its own).
 */
async function d1Usage(fn: () => Promise<unknown>): Promise<{ read: number; written: number }> {
  setTestSeams({ sendQueue: q.send, enrollQueue: q.enroll, meter: true });
  resetUsage();
  await fn();
  const usage = readUsage();
  setTestSeams({ sendQueue: q.send, enrollQueue: q.enroll });
  return { read: usage.d1RowsRead, written: usage.d1RowsWritten };
}

describe(`${N} contacts end to end`, () => {
  // 2,000 Durable Objects created, alarmed and told their result under miniflare: ~30-60 s.
  it("no duplicate, no lost step: every ledger row ends executed; cost ceilings hold", {
    timeout: 180_000,
  }, async () => {
    setClock(T0);
    const f = await fixture(3);
    const [a, b, c] = f.templates as [string, string, string];
    const contactIds = await importContacts(f, N);
    const s = await createScenario(f);
    await putSteps(f, s.id, [
      entry(a, {
        variants: [
          { name: "A", template_id: a, weight: 60 },
          { name: "B", template_id: b, weight: 40 },
        ],
      }),
      child(2, "opened", 1, c, { delay_hours: 1 }),
    ]);
    await transition(f, s.id, "start");
    const firstPage = q.enroll.messages[0]?.body;

    let pages = 0;
    const enrollCost = await d1Usage(async () => {
      pages = await drainEnroll(q);
    });
    expect(pages).toBe(N / 100 + 1);
    // The first page delivered again enrolls nobody twice.
    q.enroll.messages.push({ body: firstPage });
    await drainEnroll(q);
    q.enroll.take();
    const progress = (await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key })).progress;
    expect(progress).toEqual({ enrolled: N, eligible: N, complete: true });
    // One contact_sequences row (WITHOUT ROWID, no secondary index), plus the page's progress update.
    expect(enrollCost.written / N).toBeLessThanOrEqual(1.05);
    // Pages walk the contacts from a cursor: reads stay a few per contact (not the organization's
    // whole contact list per page), which is what lets 100,000 contacts enroll.
    // (json_each lookups count about 3 reads a row; reads cost a thousandth of writes.) 10.3 measured;
    // 13.3 while each page read its inserted rows back for the activation.
    expect(enrollCost.read / N).toBeLessThanOrEqual(11);

    const planCost = await d1Usage(async () => {
      expect(await fireAlarms(s.id, contactIds)).toBe(N);
    });
    // The real SEND consumer (log provider): claim, compose, record the message, report back.
    const sendCost = await d1Usage(async () => {
      expect(await drainSend(q, undefined, meteredEnv({ ...env, METERING: "on" }))).toBe(N);
    });
    // Per executed step, the engine's own writes when it commits a send: the cooldown stamp on the
    // contact (1), the ledger row (WITHOUT ROWID) with its idempotency key index (2).
    expect(planCost.written / N).toBeLessThanOrEqual(PLAN_ROWS);
    // Everything an executed step costs in D1, the send included.
    expect((planCost.written + sendCost.written) / N).toBeLessThanOrEqual(STEP_ROWS);

    const detail = await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key });
    const [vA, vB] = detail.steps[0].variants as { sent: number }[];
    expect((vA?.sent ?? 0) + (vB?.sent ?? 0)).toBe(N);
    expect(Math.abs((vA?.sent ?? 0) / N - 0.6)).toBeLessThan(0.05);

    // Opens for a tenth of the contacts, every one delivered twice.
    setClock(T0 + 2 * HOUR);
    const openers = contactIds.slice(0, OPENERS);
    const open = (id: string, i: number) =>
      seqStub(s.id, id).onEvent({
        event_id: `open_${i}`,
        type: "opened",
        step_order: 1,
        machine: false,
        occurred_at: T0 + 2 * HOUR,
      });
    expect((await Promise.all(openers.map(open))).every((r) => r.result === "opened")).toBe(true);
    expect((await Promise.all(openers.map(open))).every((r) => r.result === "duplicate")).toBe(true);
    setClock(T0 + 3 * HOUR);
    expect(await fireAlarms(s.id, openers)).toBe(OPENERS);
    const step2 = q.send.take().map((m) => m.body);
    expect(step2).toHaveLength(OPENERS);
    // Queue redelivery: every SEND message of step 2 arrives twice; the claim lets one through.
    expect(await drainSend(q, [...step2, ...step2])).toBe(2 * OPENERS);

    const rows = await ledgerOf(s.id);
    const keys = rows.map((r) => `${r.contact_id}:${r.step_order}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows).toHaveLength(N + OPENERS);
    expect(rows.filter((r) => r.status !== "executed")).toEqual([]);
    const msgs = await env.DB.prepare(
      "SELECT count(*) AS n FROM messages WHERE scenario_id = ? AND status = 'sent'",
    )
      .bind(s.id)
      .first<{ n: number }>();
    expect(msgs?.n).toBe(N + OPENERS);

    // No step is left behind in any object: every run is executed. The openers are done; the
    // others listen for an open for 30 days, then complete.
    const states = await Promise.all(contactIds.map((id) => stateOf(s.id, id)));
    expect(states.flatMap((st) => st?.runs ?? []).filter((r) => r.status !== "executed")).toEqual([]);
    expect((await json(`/api/v1/scenarios/${s.id}`, { key: f.org.key })).sequences).toEqual({
      active: N - OPENERS,
      completed: OPENERS,
      stopped: 0,
      failed: 0,
    });
    setClock(T0 + 31 * DAY);
    const sample = contactIds.slice(N - 20);
    expect(await fireAlarms(s.id, sample)).toBe(20);
    const after = await Promise.all(sample.map((id) => stateOf(s.id, id)));
    expect(after.map((st) => st?.status)).toEqual(sample.map(() => "completed"));
  });
});
