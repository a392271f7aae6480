/**
 * Tenant fairness in the SEND consumer: one organization's heavy templates or slow send rate
 * never hold another organization's mail in the same batch.
 */
import { inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { operationLedger } from "../../src/db/schema";
import { resetClock, setClock } from "../../src/lib/clock";
import { HttpResponse, http, network, useNetwork } from "../helpers/network";
import { configureSes, deliver, outcomeSpy, SES_URL, scenarioSend, sendingFixture } from "../helpers/sending";

useNetwork();
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
beforeEach(() => setClock(T0));
afterEach(() => resetClock());

/** SES stand-in that records the From address of each call, in call order. */
function recordSes() {
  const calls: string[] = [];
  network.use(
    http.post(SES_URL, async ({ request }) => {
      const body = (await request.json()) as { FromEmailAddress?: string };
      calls.push(body.FromEmailAddress ?? "");
      return HttpResponse.json({ MessageId: `m-${calls.length}` });
    }),
  );
  return calls;
}

const statuses = async (f: Awaited<ReturnType<typeof sendingFixture>>, ids: string[]) => {
  const rows = await f.tenant.db
    .select({ id: operationLedger.id, status: operationLedger.status })
    .from(operationLedger)
    .where(inArray(operationLedger.id, ids))
    .all();
  return rows.reduce<Record<string, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});
};

describe("tenant fairness", () => {
  it("40 heavy messages of one organization do not hold another's single message; the surplus waits", async () => {
    // about 120 KB per message (HTML, its text part and the MIME around them)
    const heavyHtml = `<html><body>{% for i in (1..4000) %}<p>row {{ i }} {{ first_name }}</p>{% endfor %}{{ unsubscribe_url }}</body></html>`;
    const heavy = await sendingFixture({ provider: "ses", html: heavyHtml });
    const light = await sendingFixture({ provider: "ses" });
    await configureSes(light.org);
    const heavySends = await Promise.all(Array.from({ length: 40 }, (_, i) => scenarioSend(heavy, `h${i}`)));
    const lightSend = await scenarioSend(light, "only");
    const calls = recordSes();
    const consumer = createSendConsumer({
      notify: outcomeSpy().notify,
      budget: { bytesPerOrganization: 1_000_000 },
    });
    // the light message is last in the batch, behind all forty
    const r = await deliver(consumer, [...heavySends.map((s) => s.body), lightSend.body]);
    expect(r.explicitAcks).toHaveLength(41);
    expect(await statuses(light, [lightSend.ledgerId])).toEqual({ executed: 1 });
    // the heavy organization rendered about 1 MB worth (8 messages); the rest is pending again
    const heavyState = await statuses(
      heavy,
      heavySends.map((s) => s.ledgerId),
    );
    expect(heavyState.executed).toBeGreaterThanOrEqual(6);
    expect(heavyState.executed).toBeLessThanOrEqual(10);
    expect(heavyState.pending).toBe(40 - (heavyState.executed ?? 0));
    expect(calls).toHaveLength(1 + (heavyState.executed ?? 0));
    console.log(
      `fairness: heavy org ${heavyState.executed} sent / ${heavyState.pending} deferred in the batch; light org's message sent in the same batch`,
    );
  });

  it("a tiny max_send_rate defers that account's surplus instead of sleeping; other accounts are not held", async () => {
    const slow = await sendingFixture({ provider: "ses" });
    await configureSes(slow.org, { max_send_rate: 1 });
    const fast = await sendingFixture({ provider: "ses" });
    await configureSes(fast.org);
    const slowSends = await Promise.all(Array.from({ length: 12 }, (_, i) => scenarioSend(slow, `s${i}`)));
    const fastSend = await scenarioSend(fast, "f");
    recordSes();
    const waits: number[] = [];
    const consumer = createSendConsumer({
      notify: outcomeSpy().notify,
      sleep: async (ms) => void waits.push(ms),
      maxPaceWaitMs: 5_000,
    });
    await deliver(consumer, [...slowSends.map((s) => s.body), fastSend.body]);
    expect(await statuses(fast, [fastSend.ledgerId])).toEqual({ executed: 1 });
    // one send a second: slots at 0..5 s are taken in this batch, the other six wait on the queue
    expect(Math.max(...waits)).toBeLessThanOrEqual(5_000);
    const slowState = await statuses(
      slow,
      slowSends.map((s) => s.ledgerId),
    );
    expect(slowState.executed).toBe(waits.length + 1);
    expect(slowState.pending).toBe(12 - (slowState.executed ?? 0));
    expect(slowState.pending).toBeGreaterThan(0);
  });
});
