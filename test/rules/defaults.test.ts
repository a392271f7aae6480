import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RuleTimerDO } from "../../durable-objects/rule-timer-do";
import { consumeEvents } from "../../queues/events";
import { createRuleActionsConsumer } from "../../queues/rule-actions";
import { contacts, interactions, operationLedger, templates } from "../../src/db/schema";
import type { NormalizedEvent } from "../../src/contracts/events";
import { resetClock, setClock } from "../../src/lib/clock";
import { queueScheduler, ruleDeps, ruleTimer } from "../../src/services/rules/deps";
import { evaluateRules } from "../../src/services/rules/engine";
import { evaluateAppliedEvent } from "../../src/services/rules/subscriber";
import type { ScheduledAction } from "../../src/services/rules/types";
import { json } from "../helpers/api";
import {
  contactRow,
  deliver,
  drainScheduled,
  makeContact,
  makeRule,
  type RulesFixture,
  rulesFixture,
  T0,
} from "../helpers/rules";

beforeEach(() => setClock(T0));
afterEach(() => resetClock());

let n = 0;
const HOUR = 3_600_000;
const noEffects = { score_before: null, score_after: null, first_open: false, first_click: false };

/** A normalized event as the EVENTS consumer hands it to its subscribers. */
function normalized(
  f: RulesFixture,
  contactId: string,
  e: Partial<NormalizedEvent> & Pick<NormalizedEvent, "type">,
): NormalizedEvent {
  return {
    id: `ev_defaults${++n}`,
    organization_id: f.org.id,
    contact_id: contactId,
    message_id: null,
    scenario_id: null,
    step_order: null,
    occurred_at: T0,
    machine: false,
    properties: {},
    ...e,
  };
}

const setScore = (f: RulesFixture, id: string, score: number) =>
  f.tenant.db.update(contacts).set({ score }).where(eq(contacts.id, id));
const ledger = (f: RulesFixture, id: string) =>
  f.tenant.db.select().from(operationLedger).where(eq(operationLedger.contactId, id)).all();
const inbox = (f: RulesFixture, id: string) =>
  f.tenant.db.select().from(interactions).where(eq(interactions.contactId, id)).all();
const templateNamed = async (f: RulesFixture, name: string) =>
  (await f.tenant.db.select().from(templates).where(eq(templates.organizationId, f.org.id)).all()).find(
    (t) => t.name === name,
  )?.id;

describe("default rules", () => {
  it("a click tags the contact engaged (a machine click does not), a bounce tags it invalid_email", async () => {
    const f = await rulesFixture({ keepDefaults: true });
    const c = await makeContact(f.org);
    await evaluateAppliedEvent(f.deps, normalized(f, c.id, { type: "clicked", machine: true }), noEffects);
    expect((await contactRow(f, c.id)).tags).toEqual([]);
    await evaluateAppliedEvent(f.deps, normalized(f, c.id, { type: "clicked" }), {
      ...noEffects,
      score_before: 0,
      score_after: 8,
    });
    expect((await contactRow(f, c.id)).tags).toEqual(["engaged"]);
    // engagement scoring gave the points; the rule adds none
    expect((await contactRow(f, c.id)).score).toBe(0);

    const d = await makeContact(f.org);
    await evaluateAppliedEvent(
      f.deps,
      normalized(f, d.id, { type: "bounced", bounce_type: "Transient" }),
      noEffects,
    );
    expect((await contactRow(f, d.id)).tags).toEqual([]);
    await evaluateAppliedEvent(
      f.deps,
      normalized(f, d.id, { type: "bounced", bounce_type: "Permanent" }),
      noEffects,
    );
    expect((await contactRow(f, d.id)).tags).toEqual(["invalid_email"]);
  });

  it("a purchase of 60 adds 50 points, sends the thank-you after 5 minutes and creates a task due in 24 hours", async () => {
    const f = await rulesFixture({ keepDefaults: true });
    const c = await makeContact(f.org);
    await evaluateAppliedEvent(
      f.deps,
      normalized(f, c.id, { type: "purchase", properties: { amount: 40 } }),
      noEffects,
    );
    expect((await contactRow(f, c.id)).score).toBe(0);

    await evaluateAppliedEvent(
      f.deps,
      normalized(f, c.id, { type: "purchase", properties: { amount: 60 } }),
      noEffects,
    );
    expect((await contactRow(f, c.id)).score).toBe(50);
    const tasks = await inbox(f, c.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      type: "task",
      nextActionAt: T0 + 24 * HOUR,
      title: `Follow up on the purchase of ${c.email}`,
    });
    expect(f.scheduled.map((s) => s.delaySeconds)).toEqual([300]);
    expect(await ledger(f, c.id)).toHaveLength(0);

    setClock(T0 + 5 * 60_000);
    await drainScheduled(f);
    const rows = await ledger(f, c.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.templateId).toBe(await templateNamed(f, "Thank you for your purchase"));
    expect(f.send.sent).toHaveLength(1);
  });

  it("reaching 80 sends the VIP email and schedules a call 2 hours later, whether rules or engagement raised the score", async () => {
    const f = await rulesFixture({ keepDefaults: true });
    const vip = await templateNamed(f, "VIP offer");
    // a purchase takes 40 -> 90
    const c = await makeContact(f.org);
    await setScore(f, c.id, 40);
    await evaluateAppliedEvent(
      f.deps,
      normalized(f, c.id, { type: "purchase", properties: { amount: 75 } }),
      noEffects,
    );
    expect((await contactRow(f, c.id)).score).toBe(90);
    expect((await ledger(f, c.id)).map((r) => r.templateId)).toEqual([vip]);
    const call = (await inbox(f, c.id)).find((i) => i.type === "call");
    expect(call?.nextActionAt).toBe(T0 + 2 * HOUR);

    // engagement scoring takes 75 -> 83 on a click
    const d = await makeContact(f.org);
    await setScore(f, d.id, 83);
    await evaluateAppliedEvent(f.deps, normalized(f, d.id, { type: "clicked" }), {
      ...noEffects,
      score_before: 75,
      score_after: 83,
    });
    expect((await ledger(f, d.id)).map((r) => r.templateId)).toEqual([vip]);
    expect((await inbox(f, d.id)).map((i) => i.type)).toEqual(["call"]);
    // already above 80: a further rise does not fire again
    await evaluateAppliedEvent(f.deps, normalized(f, d.id, { type: "clicked" }), {
      ...noEffects,
      score_before: 83,
      score_after: 85,
    });
    expect(await ledger(f, d.id)).toHaveLength(1);
  });

  it("an unsubscribe subtracts 100 points, never below 0, and tags the contact unsubscribed", async () => {
    const f = await rulesFixture({ keepDefaults: true });
    const c = await makeContact(f.org);
    await setScore(f, c.id, 130);
    await evaluateAppliedEvent(f.deps, normalized(f, c.id, { type: "unsubscribed" }), noEffects);
    expect(await contactRow(f, c.id)).toMatchObject({ score: 30, tags: ["unsubscribed"] });
    const d = await makeContact(f.org);
    await setScore(f, d.id, 30);
    await evaluateAppliedEvent(f.deps, normalized(f, d.id, { type: "unsubscribed" }), noEffects);
    expect(await contactRow(f, d.id)).toMatchObject({ score: 0, tags: ["unsubscribed"] });
  });
});

describe("end to end", () => {
  it("POST /api/v1/events purchase -> EVENTS consumer -> rules", async () => {
    const f = await rulesFixture({ keepDefaults: true });
    const c = await makeContact(f.org);
    const res = await json<{ id: string }>("/api/v1/events", {
      key: f.org.key,
      body: { type: "purchase", contact_id: c.id, properties: { amount: 60 } },
      expect: 202,
    });
    // The queue also delivers it in the background; a second delivery must change nothing.
    await deliver(consumeEvents, [{ event_id: res.id, organization_id: f.org.id }], 1, "edge-mail-events");
    await vi.waitFor(async () => expect((await contactRow(f, c.id)).score).toBe(50), { timeout: 10_000 });
    await deliver(consumeEvents, [{ event_id: res.id, organization_id: f.org.id }], 2, "edge-mail-events");
    expect((await contactRow(f, c.id)).score).toBe(50);
    expect(await inbox(f, c.id)).toHaveLength(1);
    const purchaseRule = (await json("/api/v1/rules?trigger=purchase", { key: f.org.key, expect: 200 }))
      .items[0];
    const runs = await json(`/api/v1/rules/${purchaseRule.id}/runs`, { key: f.org.key, expect: 200 });
    expect(runs.items).toHaveLength(1);
    expect(runs.items[0]).toMatchObject({
      event_id: res.id,
      trigger: "purchase",
      contact_id: c.id,
      status: "scheduled",
    });
    expect(runs.items[0].actions.map((a: { status: string }) => a.status)).toEqual([
      "executed",
      "scheduled",
      "executed",
    ]);
  });
});

describe("delays beyond the queue's 12 hours", () => {
  it("wait in the organization's RuleTimerDO, which hands them to the queue 12 hours before due", async () => {
    const f = await rulesFixture();
    f.deps.scheduler = queueScheduler(env);
    const rule = await makeRule(f.org, {
      trigger: "page_visit",
      actions: [{ type: "add_tag", config: { tag: "two-days" }, delay_minutes: 48 * 60 }],
    });
    const c = await makeContact(f.org);
    await evaluateRules(f.deps, {
      id: "ev_long",
      trigger: "page_visit",
      contact_id: c.id,
      occurred_at: T0,
      properties: {},
      depth: 0,
    });

    const stub = ruleTimer(env, f.org.id);
    expect(await stub.pending()).toBe(1);
    const handed: { body: ScheduledAction; delaySeconds: number }[] = [];
    await runInDurableObject(stub, async (instance: RuleTimerDO) => {
      (instance as unknown as { enqueue: (items: typeof handed) => Promise<void> }).enqueue = async (
        items,
      ) => {
        handed.push(...items);
      };
    });
    setClock(T0 + 36 * HOUR);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(handed.map((h) => h.delaySeconds)).toEqual([12 * 3600]);
    expect(await stub.pending()).toBe(0);

    setClock(T0 + 48 * HOUR);
    const consumer = createRuleActionsConsumer((e, _org) =>
      ruleDeps(e, f.tenant, { sendQueue: f.send, enrollQueue: f.enroll }),
    );
    await deliver(
      consumer,
      handed.map((h) => h.body),
    );
    expect((await contactRow(f, c.id)).tags).toEqual(["two-days"]);
    const runs = await json(`/api/v1/rules/${rule.id}/runs`, { key: f.org.key, expect: 200 });
    expect(runs.items[0].status).toBe("completed");
  });
});
