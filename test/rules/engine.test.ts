import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { contacts, interactions, ruleRuns, scoreHistory } from "../../src/db/schema";
import { resetClock, setClock } from "../../src/lib/clock";
import { evaluateContactCreated } from "../../src/services/rules/subscriber";
import { json } from "../helpers/api";
import {
  contactRow,
  evaluate,
  makeContact,
  makeRule,
  ruleEvent,
  rulesFixture,
  runsOf,
  T0,
} from "../helpers/rules";

beforeEach(() => setClock(T0));
afterEach(() => resetClock());

const tag = (t: string, delay = 0) => ({ type: "add_tag", config: { tag: t }, delay_minutes: delay });

describe("triggers", () => {
  it("each trigger fires only the rules of that trigger", async () => {
    const f = await rulesFixture();
    const triggers = [
      "email_opened",
      "email_clicked",
      "email_bounced",
      "unsubscribed",
      "page_visit",
      "purchase",
      "form_submit",
      "contact_created",
    ];
    // The contact exists before the rules: creating it through the API fires contact_created itself.
    const c = await makeContact(f.org);
    for (const trigger of triggers) await makeRule(f.org, { trigger, actions: [tag(`t-${trigger}`)] });
    for (const trigger of triggers) {
      await evaluate(f, ruleEvent(c.id, { trigger: trigger as never }));
      const row = await contactRow(f, c.id);
      expect(row.tags).toEqual(triggers.slice(0, triggers.indexOf(trigger) + 1).map((t) => `t-${t}`));
    }
  });

  it("contact_created runs once per contact", async () => {
    const f = await rulesFixture();
    const rule = await makeRule(f.org, { trigger: "contact_created", actions: [tag("new")] });
    const c = await makeContact(f.org);
    await evaluateContactCreated(f.deps, { id: c.id, createdAt: T0 });
    await evaluateContactCreated(f.deps, { id: c.id, createdAt: T0 });
    expect((await contactRow(f, c.id)).tags).toEqual(["new"]);
    expect(await runsOf(f.org, rule.id)).toHaveLength(1);
  });

  it("tag_added fires for a newly added tag, filtered by trigger_config.tag", async () => {
    const f = await rulesFixture();
    await makeRule(f.org, { trigger: "email_clicked", actions: [tag("vip"), tag("other")] });
    const onVip = await makeRule(f.org, {
      trigger: "tag_added",
      trigger_config: { tag: "vip" },
      actions: [tag("vip-seen")],
    });
    const onAny = await makeRule(f.org, {
      trigger: "tag_added",
      actions: [{ type: "update_score", config: { points: 1 } }],
    });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "email_clicked" }));
    const row = await contactRow(f, c.id);
    expect(row.tags).toEqual(["vip", "other", "vip-seen"]);
    // any tag: vip, other and vip-seen each added a point
    expect(row.score).toBe(3);
    const [vipRun] = await runsOf(f.org, onVip.id);
    expect(vipRun?.depth).toBe(1);
    expect(await runsOf(f.org, onAny.id)).toHaveLength(3);
    // the same click again adds nothing new, so no tag_added
    await evaluate(f, ruleEvent(c.id, { trigger: "email_clicked" }));
    expect((await contactRow(f, c.id)).score).toBe(3);
  });

  it("lead_score_high fires when a score action crosses the threshold upward, once", async () => {
    const f = await rulesFixture();
    await makeRule(f.org, {
      trigger: "page_visit",
      actions: [{ type: "update_score", config: { points: 30 } }],
    });
    const hot = await makeRule(f.org, {
      trigger: "lead_score_high",
      trigger_config: { threshold: 50 },
      actions: [tag("hot")],
    });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" })); // 0 -> 30
    expect((await contactRow(f, c.id)).tags).toEqual([]);
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" })); // 30 -> 60: crosses 50
    expect((await contactRow(f, c.id)).tags).toEqual(["hot"]);
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" })); // 60 -> 90: already above
    expect(await runsOf(f.org, hot.id)).toHaveLength(1);
  });

  it("a lead_score_high rule needs a threshold", async () => {
    const f = await rulesFixture();
    const res = await json("/api/v1/rules", {
      key: f.org.key,
      body: { name: "x", trigger: "lead_score_high", actions: [tag("a")] },
      expect: 422,
    });
    expect(res.error.details[0].field).toBe("trigger_config.threshold");
  });
});

describe("conditions and order", () => {
  it("tests tags, score bounds, lifecycle stage and event properties, with nested and/or", async () => {
    const f = await rulesFixture();
    const conditions = {
      all: [
        { field: "event.amount", op: "gt", value: 50 },
        { field: "score", op: "gte", value: 10 },
        { field: "score", op: "lte", value: 100 },
        {
          any: [
            { field: "tags", op: "contains", value: "vip" },
            { field: "lifecycle_stage", op: "in", value: ["customer", "mql"] },
          ],
        },
      ],
    };
    const rule = await makeRule(f.org, { trigger: "purchase", conditions, actions: [tag("matched")] });
    const vip = await makeContact(f.org, { tags: ["vip"] });
    const mql = await makeContact(f.org, { lifecycle_stage: "mql" });
    const plain = await makeContact(f.org);
    for (const c of [vip, mql, plain])
      await f.tenant.db.update(contacts).set({ score: 20 }).where(eq(contacts.id, c.id));
    await evaluate(f, ruleEvent(vip.id, { trigger: "purchase", properties: { amount: 60 } }));
    await evaluate(f, ruleEvent(mql.id, { trigger: "purchase", properties: { amount: "75.5" } }));
    await evaluate(f, ruleEvent(plain.id, { trigger: "purchase", properties: { amount: 60 } }));
    await evaluate(f, ruleEvent(vip.id, { trigger: "purchase", properties: { amount: 50 } }));
    expect((await contactRow(f, vip.id)).tags).toEqual(["vip", "matched"]);
    expect((await contactRow(f, mql.id)).tags).toEqual(["matched"]);
    expect((await contactRow(f, plain.id)).tags).toEqual([]);
    expect(await runsOf(f.org, rule.id)).toHaveLength(2);

    const dry = await json("/api/v1/rules/test", {
      key: f.org.key,
      body: { event: { type: "purchase", contact_id: plain.id, properties: { amount: 60 } } },
      expect: 200,
    });
    expect(dry.matched).toEqual([]);
    expect(dry.not_matched[0].reason).toMatch(/none of: tags contains "vip"/);
  });

  it("runs rules by priority, highest first, and stop_processing ends the evaluation", async () => {
    const f = await rulesFixture();
    await makeRule(f.org, { trigger: "form_submit", priority: 10, actions: [tag("low")] });
    await makeRule(f.org, { trigger: "form_submit", priority: 90, actions: [tag("high")] });
    const mid = await makeRule(f.org, { trigger: "form_submit", priority: 50, actions: [tag("mid")] });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "form_submit" }));
    expect((await contactRow(f, c.id)).tags).toEqual(["high", "mid", "low"]);

    await json(`/api/v1/rules/${mid.id}`, {
      key: f.org.key,
      method: "PATCH",
      body: { stop_processing: true },
      expect: 200,
    });
    const d = await makeContact(f.org);
    await evaluate(f, ruleEvent(d.id, { trigger: "form_submit" }));
    expect((await contactRow(f, d.id)).tags).toEqual(["high", "mid"]);
  });

  it("a later rule's conditions see what an earlier rule did", async () => {
    const f = await rulesFixture();
    await makeRule(f.org, { trigger: "page_visit", priority: 90, actions: [tag("seen")] });
    await makeRule(f.org, {
      trigger: "page_visit",
      priority: 10,
      conditions: { field: "tags", op: "contains", value: "seen" },
      actions: [tag("second")],
    });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" }));
    expect((await contactRow(f, c.id)).tags).toEqual(["seen", "second"]);
  });

  it("disabled rules do not run", async () => {
    const f = await rulesFixture();
    await makeRule(f.org, { trigger: "page_visit", enabled: false, actions: [tag("x")] });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" }));
    expect((await contactRow(f, c.id)).tags).toEqual([]);
  });
});

describe("contact actions", () => {
  it("update_score adds and subtracts with a floor of 0 and records the history", async () => {
    const f = await rulesFixture();
    await makeRule(f.org, {
      trigger: "page_visit",
      actions: [{ type: "update_score", config: { points: 15 } }],
    });
    await makeRule(f.org, {
      trigger: "form_submit",
      actions: [{ type: "update_score", config: { points: -40 } }],
    });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" }));
    await evaluate(f, ruleEvent(c.id, { trigger: "form_submit" }));
    expect((await contactRow(f, c.id)).score).toBe(0);
    const history = await f.tenant.db
      .select()
      .from(scoreHistory)
      .where(eq(scoreHistory.contactId, c.id))
      .all();
    expect(history.map((h) => [h.delta, h.scoreAfter])).toEqual(
      expect.arrayContaining([
        [15, 15],
        [-15, 0],
      ]),
    );
    expect(history.every((h) => h.cause.startsWith("rule:"))).toBe(true);
  });

  it("add_tag, remove_tag and update_field change the contact", async () => {
    const f = await rulesFixture();
    await makeRule(f.org, {
      trigger: "form_submit",
      actions: [
        tag("lead"),
        { type: "remove_tag", config: { tag: "cold" } },
        { type: "update_field", config: { field: "lifecycle_stage", value: "mql" } },
        { type: "update_field", config: { field: "attributes.plan", value: "pro" } },
        { type: "update_field", config: { field: "first_name", value: "Grace" } },
      ],
    });
    const c = await makeContact(f.org, { tags: ["cold", "news"], attributes: { city: "Paris" } });
    await evaluate(f, ruleEvent(c.id, { trigger: "form_submit" }));
    const row = await contactRow(f, c.id);
    expect(row.tags).toEqual(["news", "lead"]);
    expect(row.lifecycleStage).toBe("mql");
    expect(row.firstName).toBe("Grace");
    expect(JSON.parse(row.attributes)).toEqual({ city: "Paris", plan: "pro" });
  });

  it("create_task and schedule_call create inbox interactions with a due time and an assignee", async () => {
    const f = await rulesFixture();
    const user = await json<{ id: string }>("/api/v1/users", {
      key: f.org.key,
      body: { name: "Sam", email: "sam@example.com" },
      expect: 201,
    });
    const rule = await makeRule(f.org, {
      trigger: "form_submit",
      actions: [
        {
          type: "create_task",
          config: {
            title: "Reply to {{ first_name }} about {{ event.topic }}",
            assignee_id: user.id,
            due_in_minutes: 60,
          },
        },
        { type: "schedule_call", config: { title: "Call {{ email }}", due_in_minutes: 120 } },
      ],
    });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "form_submit", properties: { topic: "pricing" } }));
    const rows = await f.tenant.db.select().from(interactions).where(eq(interactions.contactId, c.id)).all();
    const task = rows.find((r) => r.type === "task");
    const call = rows.find((r) => r.type === "call");
    expect(task).toMatchObject({
      title: "Reply to Ada about pricing",
      assigneeId: user.id,
      nextActionAt: T0 + 3_600_000,
      ruleId: rule.id,
    });
    expect(call).toMatchObject({ title: `Call ${c.email}`, assigneeId: null, nextActionAt: T0 + 7_200_000 });
  });

  it("an assignee from another organization is refused when the rule is written", async () => {
    const f = await rulesFixture();
    const other = await rulesFixture();
    const user = await json<{ id: string }>("/api/v1/users", {
      key: other.org.key,
      body: { name: "Eve", email: "eve@example.com" },
      expect: 201,
    });
    const res = await json("/api/v1/rules", {
      key: f.org.key,
      body: {
        name: "x",
        trigger: "page_visit",
        actions: [{ type: "create_task", config: { title: "t", assignee_id: user.id } }],
      },
      expect: 422,
    });
    expect(res.error.details[0].field).toBe("actions.0.config.assignee_id");
  });
});

describe("loop guard and idempotency", () => {
  it("rules that feed each other stop at the depth limit, and the run says so", async () => {
    const f = await rulesFixture();
    // a -> (remove a, add b) -> (remove b, add a) -> ... forever without the guard
    const ab = await makeRule(f.org, {
      trigger: "tag_added",
      trigger_config: { tag: "a" },
      actions: [{ type: "remove_tag", config: { tag: "a" } }, tag("b")],
    });
    await makeRule(f.org, {
      trigger: "tag_added",
      trigger_config: { tag: "b" },
      actions: [{ type: "remove_tag", config: { tag: "b" } }, tag("a")],
    });
    await makeRule(f.org, { trigger: "page_visit", actions: [tag("a")] });
    const c = await makeContact(f.org);
    await evaluate(f, ruleEvent(c.id, { trigger: "page_visit" }));
    const runs = await runsOf(f.org, ab.id);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.length).toBeLessThanOrEqual(2);
    const reasons = runs.flatMap((r) => r.actions.map((a) => a.reason ?? ""));
    expect(reasons.some((r) => /loop limit/.test(r))).toBe(true);
  });

  it("a redelivered event evaluates the caused events an interrupted delivery did not reach", async () => {
    const f = await rulesFixture();
    await makeRule(f.org, { trigger: "page_visit", actions: [tag("visitor")] });
    const follow = await makeRule(f.org, { trigger: "tag_added", actions: [tag("followed")] });
    const c = await makeContact(f.org);
    const e = ruleEvent(c.id, { trigger: "page_visit" });
    await evaluate(f, e);
    expect((await contactRow(f, c.id)).tags).toEqual(["visitor", "followed"]);
    // as if the first delivery had stopped right after the page_visit rule
    await f.tenant.db.delete(ruleRuns).where(eq(ruleRuns.ruleId, follow.id));
    await f.tenant.db.update(contacts).set({ tags: '["visitor"]' }).where(eq(contacts.id, c.id));
    await evaluate(f, e);
    expect((await contactRow(f, c.id)).tags).toEqual(["visitor", "followed"]);
    // tag_added(visitor) and tag_added(followed): two runs, and a third delivery adds none
    expect(await runsOf(f.org, follow.id)).toHaveLength(2);
    await evaluate(f, e);
    expect(await runsOf(f.org, follow.id)).toHaveLength(2);
  });

  it("the same event evaluated twice (redelivery) runs each rule once", async () => {
    const f = await rulesFixture();
    const rule = await makeRule(f.org, {
      trigger: "purchase",
      actions: [
        { type: "update_score", config: { points: 10 } },
        { type: "create_task", config: { title: "t" } },
        tag("buyer"),
      ],
    });
    const c = await makeContact(f.org);
    const e = ruleEvent(c.id, { trigger: "purchase", properties: { amount: 10 } });
    await evaluate(f, e);
    await evaluate(f, e);
    await Promise.all([evaluate(f, e), evaluate(f, e)].map((p) => p.catch(() => undefined)));
    expect((await contactRow(f, c.id)).score).toBe(10);
    const tasks = await f.tenant.db.select().from(interactions).where(eq(interactions.contactId, c.id)).all();
    expect(tasks).toHaveLength(1);
    const runs = await runsOf(f.org, rule.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe("completed");
    expect(runs[0]?.actions.map((a) => a.status)).toEqual(["executed", "executed", "executed"]);
  });
});
