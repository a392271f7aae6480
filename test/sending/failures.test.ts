import { env } from "cloudflare:workers";
import { type MessageRow, rawOf } from "../../src/services/messages/store";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { createSendDlqConsumer } from "../../queues/send-dlq";
import type { TenantDb } from "../../src/lib/tenant";
import { messages, operationLedger } from "../../src/db/schema";
import { resetClock, setClock } from "../../src/lib/clock";
import { backoffSeconds } from "../../src/lib/result";
import { HttpResponse, http, network, respondInOrder, useNetwork } from "../helpers/network";
import {
  BREVO_URL,
  configureSes,
  deliver,
  outcomeSpy,
  SES_URL,
  scenarioSend,
  sendingFixture,
} from "../helpers/sending";

useNetwork();
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
beforeEach(() => setClock(T0));
afterEach(() => resetClock());

const ledger = async (db: TenantDb, id: string) =>
  db.select().from(operationLedger).where(eq(operationLedger.id, id)).get();
const throttled = () =>
  HttpResponse.json(
    { message: "Maximum sending rate exceeded." },
    { status: 429, headers: { "x-amzn-ErrorType": "TooManyRequestsException:" } },
  );
/** Backoff without jitter (random = 0): the lower bound of each window, 2, 4, 8... seconds. */
const noJitter = { random: () => 0 };

describe("SEND consumer: transient failures retry with backoff", () => {
  it("429 then 200: retried with a delay, the row goes back to pending, then executed", async () => {
    const f = await sendingFixture({ provider: "ses" });
    const { ledgerId, body } = await scenarioSend(f);
    const seen = respondInOrder("post", SES_URL, [
      throttled(),
      HttpResponse.json({ MessageId: "after-throttle" }),
    ]);
    const consumer = createSendConsumer({ notify: outcomeSpy().notify });

    const first = await deliver(consumer, [body], 1);
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.retryMessages[0]?.delaySeconds).toBeGreaterThanOrEqual(2);
    expect(first.retryMessages[0]?.delaySeconds).toBeLessThanOrEqual(4);
    expect(await ledger(f.tenant.db, ledgerId)).toMatchObject({
      status: "pending",
      attempts: 1,
      reason: expect.stringContaining("TooManyRequestsException"),
    });

    const second = await deliver(consumer, [body], 2);
    expect(second.explicitAcks).toHaveLength(1);
    expect(seen).toHaveLength(2);
    expect(await ledger(f.tenant.db, ledgerId)).toMatchObject({
      status: "executed",
      attempts: 2,
      reason: null,
    });
  });

  it("500 three times, then 200: exponential delays, one message recorded", async () => {
    const f = await sendingFixture({ provider: "ses" });
    const { ledgerId, body } = await scenarioSend(f);
    const boom = () =>
      HttpResponse.json(
        { message: "internal" },
        { status: 500, headers: { "x-amzn-ErrorType": "InternalFailure:" } },
      );
    const seen = respondInOrder("post", SES_URL, [
      boom(),
      boom(),
      boom(),
      HttpResponse.json({ MessageId: "finally" }),
    ]);
    const consumer = createSendConsumer({ notify: outcomeSpy().notify, backoff: noJitter });
    const delays: (number | undefined)[] = [];
    for (const attempt of [1, 2, 3]) {
      const r = await deliver(consumer, [body], attempt);
      expect(r.explicitAcks).toEqual([]);
      delays.push(r.retryMessages[0]?.delaySeconds);
    }
    expect(delays).toEqual([2, 4, 8]);
    const last = await deliver(consumer, [body], 4);
    expect(last.explicitAcks).toHaveLength(1);
    expect(seen).toHaveLength(4);
    const row = await ledger(f.tenant.db, ledgerId);
    expect(row).toMatchObject({ status: "executed", attempts: 4 });
    expect(
      await f.tenant.db.select().from(messages).where(eq(messages.ledgerId, ledgerId)).all(),
    ).toHaveLength(1);
  });

  it("a provider that does not answer times out and is retried", async () => {
    const f = await sendingFixture({ provider: "ses" });
    const { ledgerId, body } = await scenarioSend(f);
    let calls = 0;
    network.use(
      http.post(SES_URL, () => {
        calls++;
        return calls === 1
          ? new Promise<Response>(() => {})
          : HttpResponse.json({ MessageId: "after-timeout" });
      }),
    );
    const consumer = createSendConsumer({ notify: outcomeSpy().notify, timeoutMs: 20 });
    const first = await deliver(consumer, [body], 1);
    expect(first.retryMessages).toHaveLength(1);
    expect(await ledger(f.tenant.db, ledgerId)).toMatchObject({
      status: "pending",
      reason: "retrying: ses: request timed out",
    });
    await deliver(consumer, [body], 2);
    expect(await ledger(f.tenant.db, ledgerId)).toMatchObject({ status: "executed" });
  });

  it("Brevo 429 waits at least x-sib-ratelimit-reset", async () => {
    const f = await sendingFixture({ provider: "brevo" });
    const { body } = await scenarioSend(f);
    respondInOrder("post", BREVO_URL, [
      HttpResponse.json(
        { message: "slow down" },
        { status: 429, headers: { "x-sib-ratelimit-reset": "120" } },
      ),
    ]);
    const r = await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [body], 1);
    expect(r.retryMessages[0]?.delaySeconds).toBe(120);
  });

  it("backoff grows exponentially with jitter inside [cap/2, cap] and is capped", () => {
    for (const [attempt, lo, hi] of [
      [1, 2, 4],
      [3, 8, 16],
      [6, 64, 128],
    ] as const) {
      expect(backoffSeconds(attempt, undefined, { random: () => 0 })).toBe(lo);
      expect(backoffSeconds(attempt, undefined, { random: () => 0.999999 })).toBe(hi);
    }
    expect(backoffSeconds(30, undefined, { random: () => 1 })).toBe(900);
  });
});

describe("SEND consumer: permanent failures and the DLQ", () => {
  it("a 400 (MessageRejected) ends failed with the provider's reason, is not retried, and tells the sequence", async () => {
    const f = await sendingFixture({ provider: "ses" });
    const { ledgerId, body } = await scenarioSend(f);
    const seen = respondInOrder("post", SES_URL, [
      HttpResponse.json(
        { message: "Email address is not verified." },
        { status: 400, headers: { "x-amzn-ErrorType": "MessageRejected:" } },
      ),
    ]);
    const spy = outcomeSpy();
    const r = await deliver(createSendConsumer({ notify: spy.notify }), [body]);
    expect(r.explicitAcks).toHaveLength(1);
    expect(r.retryMessages).toEqual([]);
    const reason = "ses 400 MessageRejected: Email address is not verified.";
    expect(await ledger(f.tenant.db, ledgerId)).toMatchObject({ status: "failed", reason });
    const msg = await f.tenant.db.select().from(messages).where(eq(messages.ledgerId, ledgerId)).get();
    expect(msg).toMatchObject({ status: "failed", failureReason: reason, externalId: null, provider: "ses" });
    expect(await rawOf(env.ARCHIVE, msg as MessageRow)).toContain("List-Unsubscribe-Post");
    expect(spy.outcomes.map((o) => o.outcome)).toEqual([
      { ledger_id: ledgerId, step_order: 1, status: "failed", reason, at: T0 },
    ]);
    await deliver(createSendConsumer(), [body], 2); // a redelivery changes nothing
    expect(seen).toHaveLength(1);
  });

  it("a provider the organization has not configured fails the send with that reason", async () => {
    const f = await sendingFixture({ provider: "brevo" });
    await configureSes(f.org); // SES set, Brevo removed below
    const { json } = await import("../helpers/api");
    await json("/api/v1/settings/providers", {
      key: f.org.key,
      method: "PUT",
      body: { brevo: null },
      expect: 200,
    });
    const { ledgerId, body } = await scenarioSend(f);
    await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [body]);
    expect(await ledger(f.tenant.db, ledgerId)).toMatchObject({
      status: "failed",
      reason: "provider brevo is not configured for this organization",
    });
  });

  it("the DLQ consumer records what exhausted its retries; finished rows stay as they are", async () => {
    const f = await sendingFixture({ provider: "ses" });
    const { ledgerId, body } = await scenarioSend(f);
    respondInOrder("post", SES_URL, [throttled()]);
    const consumer = createSendConsumer({ notify: outcomeSpy().notify });
    for (const attempt of [1, 2, 3]) await deliver(consumer, [body], attempt);
    const spy = outcomeSpy();
    const dlq = createSendDlqConsumer(spy.notify);
    const r = await deliver(dlq, [body], 1, undefined, "edge-mail-send-dlq");
    expect(r.explicitAcks).toHaveLength(1);
    expect(await ledger(f.tenant.db, ledgerId)).toMatchObject({
      status: "failed",
      reason: "dead-lettered after 3 attempts",
    });
    expect(spy.outcomes[0]?.outcome).toMatchObject({
      status: "failed",
      reason: "dead-lettered after 3 attempts",
    });

    const done = await scenarioSend(f, "second");
    respondInOrder("post", SES_URL, [HttpResponse.json({ MessageId: "ok" })]);
    await deliver(consumer, [done.body]);
    await deliver(dlq, [done.body], 1, undefined, "edge-mail-send-dlq");
    expect(await ledger(f.tenant.db, done.ledgerId)).toMatchObject({ status: "executed" });
  });
});

describe("send rate per provider account", () => {
  it("sends of one account are paced at max_send_rate; other accounts are not held up", async () => {
    const f = await sendingFixture({ provider: "ses" });
    await configureSes(f.org, { max_send_rate: 2 });
    const sends = await Promise.all(["a", "b", "c", "d"].map((s) => scenarioSend(f, s)));
    respondInOrder("post", SES_URL, [HttpResponse.json({ MessageId: "paced" })]);
    const waits: number[] = [];
    const consumer = createSendConsumer({
      notify: outcomeSpy().notify,
      sleep: async (ms) => void waits.push(ms),
    });
    const r = await deliver(
      consumer,
      sends.map((s) => s.body),
    );
    expect(r.explicitAcks).toHaveLength(4);
    expect(waits.sort((a, b) => a - b)).toEqual([500, 1000, 1500]);

    const other = await sendingFixture(); // log provider: no rate
    await deliver(consumer, [(await scenarioSend(other)).body]);
    expect(waits).toHaveLength(3);
  });
});
