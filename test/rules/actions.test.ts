import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { contactSequences, operationLedger, rules, scenarios } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { resetClock, setClock } from "../../src/lib/clock";
import { verifyWebhook } from "../../src/providers/outbound-webhook";
import { createRuleActionsConsumer, createRuleActionsDlqConsumer } from "../../queues/rule-actions";
import { json } from "../helpers/api";
import { HttpResponse, http, network, respondInOrder, useNetwork } from "../helpers/network";
import {
  deliver,
  drainScheduled,
  evaluate,
  makeContact,
  makeRule,
  ruleEvent,
  type RulesFixture,
  rulesFixture,
  runsOf,
  T0,
} from "../helpers/rules";

useNetwork();
beforeEach(() => setClock(T0));
afterEach(() => resetClock());

const HOOK = "https://hooks.example.com/edge-mail";
const consumerFor = (f: RulesFixture) => createRuleActionsConsumer(() => f.deps);
const ledgerRows = (f: RulesFixture, contactId: string) =>
  f.tenant.db.select().from(operationLedger).where(eq(operationLedger.contactId, contactId)).all();

async function activeScenario(f: RulesFixture, status: "active" | "draft" = "active") {
  const id = newId("sc", T0);
  await f.tenant.db.insert(scenarios).values({
    id,
    organizationId: f.org.id,
    name: "Nurture",
    status,
    fromEmail: "news@sender.example",
    createdAt: T0,
    updatedAt: T0,
  });
  return id;
}

describe("send_email", () => {
  it("writes one ledger row per (rule, event) and enqueues it on SEND", async () => {
    const f = await rulesFixture();
    const tpl = await json<{ id: string }>("/api/v1/templates", {
      key: f.org.key,
      body: { name: "t", subject: "Hi", html: "<p>Hi</p>" },
      expect: 201,
    });
    const rule = await makeRule(f.org, {
      trigger: "form_submit",
      actions: [{ type: "send_email", config: { template_id: tpl.id, from_email: "team@shop.example" } }],
    });
    const c = await makeContact(f.org);
    const e = ruleEvent(c.id, { trigger: "form_submit" });
    await evaluate(f, e);
    await evaluate(f, e);
    await evaluate(f, ruleEvent(c.id, { trigger: "form_submit" }));
    const rows = await ledgerRows(f, c.id);
    expect(rows).toHaveLength(2);
    // Rows come back in key order (random within the same millisecond): take the first one sent.
    const first = rows.find((r) => r.id === (f.send.sent[0]?.body as { ledger_id?: string })?.ledger_id);
    expect(first).toMatchObject({ templateId: tpl.id, status: "pending" });
    expect(JSON.parse(first?.payload ?? "{}")).toMatchObject({
      from_email: "team@shop.example",
      provider: "log",
      source: { rule_id: rule.id },
    });
    expect(f.send.sent[0]?.body).toEqual({ ledger_id: first?.id, organization_id: f.org.id });
  });

  it("skips an unsubscribed contact", async () => {
    const f = await rulesFixture();
    const rule = await makeRule(f.org, {
      trigger: "page_visit",
      actions: [{ type: "send_email", config: { subject: "Hi", html: "<p>Hi</p>" } }],
    });
    const c = await makeContact(f.org);
    await json(`/api/v1/contacts/${c.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: { status: "unsubscribed" },
      expect: 200,
    });
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" }));
    expect(await ledgerRows(f, c.id)).toHaveLength(0);
    expect((await runsOf(f.org, rule.id))[0]?.actions[0]).toMatchObject({
      status: "skipped",
      reason: "contact is unsubscribed",
    });
  });
});

describe("delayed actions", () => {
  it("schedule on the queue with the delay, wait out an early delivery, run once at the due time", async () => {
    const f = await rulesFixture();
    const rule = await makeRule(f.org, {
      trigger: "purchase",
      actions: [
        { type: "send_email", config: { subject: "Thanks", html: "<p>Thanks</p>" }, delay_minutes: 5 },
      ],
    });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "purchase", properties: { amount: 60 } }));
    expect(f.scheduled).toHaveLength(1);
    const first = f.scheduled[0];
    expect(first?.delaySeconds).toBe(300);
    expect(first?.message.due_at).toBe(T0 + 300_000);
    expect((await runsOf(f.org, rule.id))[0]).toMatchObject({
      status: "scheduled",
      actions: [{ status: "scheduled", due_at: new Date(T0 + 300_000).toISOString() }],
    });
    expect(await ledgerRows(f, c.id)).toHaveLength(0);

    // Delivered a minute early (the clock is injected): it goes back with the rest of its delay.
    f.scheduled.length = 0;
    setClock(T0 + 240_000);
    const early = await deliver(consumerFor(f), [first?.message]);
    expect(early.acked).toHaveLength(1);
    expect(f.scheduled.map((s) => s.delaySeconds)).toEqual([60]);
    expect(await ledgerRows(f, c.id)).toHaveLength(0);

    setClock(T0 + 300_000);
    const due = await deliver(consumerFor(f), [first?.message]);
    expect(due.acked).toHaveLength(1);
    expect(await ledgerRows(f, c.id)).toHaveLength(1);
    expect(f.send.sent).toHaveLength(1);
    // Redelivery of the same message: the action is final, nothing more happens.
    await deliver(consumerFor(f), [first?.message], 2);
    expect(await ledgerRows(f, c.id)).toHaveLength(1);
    expect(f.send.sent).toHaveLength(1);
    expect((await runsOf(f.org, rule.id))[0]?.status).toBe("completed");
  });

  it("a disabled rule's pending delayed actions are skipped", async () => {
    const f = await rulesFixture();
    const rule = await makeRule(f.org, {
      trigger: "page_visit",
      actions: [{ type: "add_tag", config: { tag: "later" }, delay_minutes: 60 }],
    });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" }));
    await json(`/api/v1/rules/${rule.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: { enabled: false },
      expect: 200,
    });
    setClock(T0 + 3_600_000);
    await drainScheduled(f);
    expect((await runsOf(f.org, rule.id))[0]?.actions[0]).toMatchObject({
      status: "skipped",
      reason: "the rule was disabled",
    });
  });
});

describe("trigger_webhook", () => {
  it("POSTs a Standard Webhooks signed message, retries a 500 with backoff, same webhook-id", async () => {
    const f = await rulesFixture();
    const seen = respondInOrder("post", HOOK, [
      new Response("down", { status: 500 }),
      new Response(null, { status: 204 }),
    ]);
    const rule = await makeRule(f.org, {
      trigger: "form_submit",
      actions: [{ type: "trigger_webhook", config: { url: HOOK } }],
    });
    const stored = await f.tenant.db.select().from(rules).where(eq(rules.id, rule.id)).get();
    const secret = JSON.parse(stored?.actions ?? "[]")[0].config.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "form_submit", properties: { form: "demo" } }));
    expect(f.scheduled[0]?.delaySeconds).toBe(0);
    const message = f.scheduled[0]?.message;

    const first = await deliver(consumerFor(f), [message]);
    expect(first.retried).toHaveLength(1);
    // First retry: up to 30 s, with equal jitter (at least half of it).
    expect(first.retried[0]?.delaySeconds).toBeGreaterThanOrEqual(15);
    expect(first.retried[0]?.delaySeconds).toBeLessThanOrEqual(30);
    let [run] = await runsOf(f.org, rule.id);
    expect(run?.actions[0]).toMatchObject({
      status: "scheduled",
      attempts: 1,
      reason: "retrying: receiver answered 500",
    });

    const second = await deliver(consumerFor(f), [message], 2);
    expect(second.acked).toHaveLength(1);
    [run] = await runsOf(f.org, rule.id);
    expect(run?.actions[0]?.status).toBe("executed");
    expect(seen).toHaveLength(2);
    expect(seen[0]?.headers.get("webhook-id")).toBe(seen[1]?.headers.get("webhook-id"));
    const last = seen[1];
    if (!last) throw new Error("no request");
    expect(await verifyWebhook(secret, last.headers, last.body)).toBe(true);
    expect(JSON.parse(last.body)).toMatchObject({
      type: "rule.form_submit",
      data: {
        rule: { id: rule.id },
        event: { trigger: "form_submit", properties: { form: "demo" } },
        contact: { id: c.id },
      },
    });
  });

  it("refuses private, loopback, link-local and non-https targets (422 naming the field)", async () => {
    const f = await rulesFixture();
    for (const url of [
      "http://hooks.example.com/x",
      "https://127.0.0.1/x",
      "https://10.1.2.3/x",
      "https://169.254.169.254/latest",
      "https://localhost/x",
      "https://[::1]/x",
    ]) {
      const res = await json("/api/v1/rules", {
        key: f.org.key,
        body: { name: "x", trigger: "page_visit", actions: [{ type: "trigger_webhook", config: { url } }] },
        expect: 422,
      });
      expect(res.error.details[0].field).toBe("actions.0.config.url");
    }
  });

  it("a stored private target is refused at send time without a request, and not retried", async () => {
    const f = await rulesFixture();
    const rule = await makeRule(f.org, {
      trigger: "page_visit",
      actions: [{ type: "trigger_webhook", config: { url: HOOK } }],
    });
    const stored = await f.tenant.db.select().from(rules).where(eq(rules.id, rule.id)).get();
    const actions = JSON.parse(stored?.actions ?? "[]");
    actions[0].config.url = "https://192.168.1.10/hook";
    await f.tenant.db
      .update(rules)
      .set({ actions: JSON.stringify(actions) })
      .where(eq(rules.id, rule.id));
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" }));
    const result = await deliver(consumerFor(f), [f.scheduled[0]?.message]);
    expect(result.acked).toHaveLength(1);
    expect((await runsOf(f.org, rule.id))[0]?.actions[0]).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/refused target/),
    });
  });

  it("an action whose retries ran out is recorded failed by the DLQ consumer", async () => {
    const f = await rulesFixture();
    respondInOrder("post", HOOK, [new Response("down", { status: 503 })]);
    const rule = await makeRule(f.org, {
      trigger: "page_visit",
      actions: [{ type: "trigger_webhook", config: { url: HOOK } }],
    });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" }));
    const message = f.scheduled[0]?.message;
    await deliver(consumerFor(f), [message], 8);
    await deliver(
      createRuleActionsDlqConsumer(() => f.deps),
      [message],
      1,
      "edge-mail-actions-dlq",
    );
    expect((await runsOf(f.org, rule.id))[0]?.actions[0]).toMatchObject({
      status: "failed",
      reason: "gave up after retries: retrying: receiver answered 503",
    });
  });
});

describe("send_sms", () => {
  it("sends through Brevo transactional SMS with the organization's key", async () => {
    const f = await rulesFixture();
    await json("/api/v1/settings/providers", {
      key: f.org.key,
      method: "PUT",
      body: { brevo: { api_key: "xkeysib-sms-0123456789" } },
      expect: 200,
    });
    const seen = respondInOrder("post", "https://api.brevo.com/v3/transactionalSMS/send", [
      HttpResponse.json({ messageId: 1511882900176220 }, { status: 201 }),
    ]);
    const rule = await makeRule(f.org, {
      trigger: "purchase",
      actions: [
        {
          type: "send_sms",
          config: {
            sender: "Shop",
            content: "Thanks {{ first_name }} for your order of {{ event.amount }}!",
          },
        },
      ],
    });
    const withPhone = await makeContact(f.org, { phone: "+33 6 12 34 56 78" });
    const noPhone = await makeContact(f.org);
    await evaluate(f, ruleEvent(withPhone.id, { trigger: "purchase", properties: { amount: 60 } }));
    await evaluate(f, ruleEvent(noPhone.id, { trigger: "purchase", properties: { amount: 60 } }));
    await drainScheduled(f);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.get("api-key")).toBe("xkeysib-sms-0123456789");
    expect(JSON.parse(seen[0]?.body ?? "{}")).toMatchObject({
      sender: "Shop",
      recipient: "+33612345678",
      content: "Thanks Ada for your order of 60!",
      type: "transactional",
    });
    const runs = await runsOf(f.org, rule.id);
    expect(runs.map((r) => r.actions[0]?.status).sort()).toEqual(["executed", "skipped"]);
  });

  it("retries a 429 after Brevo's reset time and fails without a Brevo account", async () => {
    const f = await rulesFixture();
    const rule = await makeRule(f.org, {
      trigger: "page_visit",
      actions: [{ type: "send_sms", config: { sender: "Shop", content: "hi" } }],
    });
    const c = await makeContact(f.org, { phone: "+447700900123" });
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" }));
    const message = f.scheduled[0]?.message;
    const r1 = await deliver(consumerFor(f), [message]);
    expect(r1.acked).toHaveLength(1);
    expect((await runsOf(f.org, rule.id))[0]?.actions[0]?.reason).toMatch(/Brevo is not configured/);

    await json("/api/v1/settings/providers", {
      key: f.org.key,
      method: "PUT",
      body: { brevo: { api_key: "xkeysib-sms-0123456789" } },
      expect: 200,
    });
    network.use(
      http.post(
        "https://api.brevo.com/v3/transactionalSMS/send",
        () => new HttpResponse("slow down", { status: 429, headers: { "x-sib-ratelimit-reset": "120" } }),
      ),
    );
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" }));
    const r2 = await deliver(consumerFor(f), [f.scheduled[1]?.message]);
    expect(r2.retried[0]?.delaySeconds).toBeGreaterThanOrEqual(120);
  });
});

describe("scenario actions", () => {
  it("enroll_in_scenario queues the single-contact ENROLL message for an active scenario", async () => {
    const f = await rulesFixture();
    const active = await activeScenario(f);
    const draft = await activeScenario(f, "draft");
    const rule = await makeRule(f.org, {
      trigger: "form_submit",
      actions: [
        { type: "enroll_in_scenario", config: { scenario_id: active } },
        { type: "enroll_in_scenario", config: { scenario_id: draft } },
      ],
    });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "form_submit" }));
    expect(f.enroll.sent.map((s) => s.body)).toEqual([
      { scenario_id: active, organization_id: f.org.id, after_contact_id: null, contact_ids: [c.id] },
    ]);
    expect((await runsOf(f.org, rule.id))[0]?.actions.map((a) => a.status)).toEqual(["executed", "skipped"]);
  });

  it("pause_sequences stops the contact's active sequences", async () => {
    const f = await rulesFixture();
    const a = await activeScenario(f);
    const b = await activeScenario(f);
    const c = await makeContact(f.org);
    for (const scenarioId of [a, b]) {
      await f.tenant.db.insert(contactSequences).values({
        id: newId("cs", T0),
        organizationId: f.org.id,
        scenarioId,
        contactId: c.id,
        stepsVersion: 1,
        createdAt: T0,
        updatedAt: T0,
      });
    }
    const rule = await makeRule(f.org, {
      trigger: "form_submit",
      actions: [{ type: "pause_sequences", config: {} }],
    });
    await evaluate(f, ruleEvent(c.id, { trigger: "form_submit" }));
    const rows = await f.tenant.db
      .select()
      .from(contactSequences)
      .where(eq(contactSequences.contactId, c.id))
      .all();
    expect(rows.map((r) => [r.status, r.stopReason])).toEqual([
      ["stopped", `rule:${rule.id}`],
      ["stopped", `rule:${rule.id}`],
    ]);
  });
});
