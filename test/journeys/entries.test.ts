import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runJourneyDates } from "../../src/cron/journey-dates";
import { setClock } from "../../src/lib/clock";
import { tenantScope } from "../../src/lib/tenant";
import { suppress } from "../../src/services/suppressions/store";
import { json } from "../helpers/api";
import { db, drainEvents } from "../helpers/events";
import {
  behaviour,
  contactTags,
  enroll,
  flow,
  getFlow,
  pathOf,
  putFlow,
  runsOf,
  startedJourney,
  stateOf,
} from "../helpers/journey";
import {
  createContact,
  createScenario,
  drainEnroll,
  drainSend,
  type Fixture,
  fireAlarms,
  fixture,
  sentMessages,
  transition,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.parse("2031-01-06T10:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function settle(scenarioId: string, contactIds: string[]) {
  for (let i = 0; i < 6; i++) {
    await fireAlarms(scenarioId, contactIds);
    if (!(await drainSend(q))) break;
  }
}

/**
 * The abandoned cart: a cart_abandoned event (one run per cart) -> wait up to 4 hours for a purchase
 * -> bought: done; else VIPs get an SMS, the others an email. A purchase anywhere converts the run.
 */
const abandonedCart = (template: string) =>
  flow(
    [
      { id: "bought", type: "wait_for", event: "purchase", within: { hours: 4 }, yes: "done", no: "vip" },
      {
        id: "vip",
        type: "condition",
        criteria: { logic: "and", conditions: [{ field: "tags", operator: "contains", value: "vip" }] },
        yes: "sms",
        no: "email",
      },
      { id: "sms", type: "sms", content: "Your cart is waiting", sender: "Shop" },
      { id: "email", type: "email", template_id: template },
      { id: "done", type: "exit" },
    ],
    {
      entry: { type: "event", event: "custom", name: "cart_abandoned", dedup_key: "cart_id" },
      reentry: { policy: "always" },
      goal: { event: "purchase" },
    },
  );

const person = async (f: Fixture, email: string, extra: Record<string, unknown> = {}) =>
  (await createContact(f, { email, ...extra })).id;

describe("entries", () => {
  it("an event entry starts one run per dedup value; the goal converts it wherever it is", async () => {
    setClock(T0);
    const f = await fixture(1);
    const [tpl] = f.templates as [string];
    const buyer = await person(f, "buyer@example.com");
    const idle = await person(f, "idle@example.com");
    const id = await startedJourney(f, abandonedCart(tpl));
    await behaviour(f, buyer, "custom", { name: "cart_abandoned", cart_id: "c1" }, T0);
    await behaviour(f, idle, "custom", { name: "cart_abandoned", cart_id: "c2" }, T0);
    // Another custom event, and the same cart again: no new run.
    await behaviour(f, idle, "custom", { name: "wishlist", cart_id: "c9" }, T0);
    await behaviour(f, idle, "custom", { name: "cart_abandoned", cart_id: "c2" }, T0);
    expect((await runsOf(f, id)).items.map((r) => r.status)).toEqual(["active", "active"]);

    setClock(T0 + HOUR);
    await behaviour(f, buyer, "purchase", { order_id: "o1", amount: 40 }, T0 + HOUR);
    expect((await stateOf(id, buyer))?.status).toBe("converted");

    setClock(T0 + 5 * HOUR);
    await settle(id, [buyer, idle]);
    expect(await pathOf(id, idle)).toEqual(["bought:no", "vip:no", "email:sent"]);
    expect((await stateOf(id, idle))?.status).toBe("completed");
    expect((await sentMessages(id)).map((m) => m.contact_id)).toEqual([idle]);

    // The idle contact comes back with another cart: a second run (re-entry always).
    setClock(T0 + 2 * DAY);
    await behaviour(f, idle, "custom", { name: "cart_abandoned", cart_id: "c3" }, T0 + 2 * DAY);
    await behaviour(f, idle, "custom", { name: "cart_abandoned", cart_id: "c2" }, T0 + 2 * DAY);
    const runs = await runsOf(f, id, `?contact_id=${idle}`);
    expect(runs.items.map((r) => [r.id, r.status])).toEqual([
      [`${idle}.1`, "completed"],
      [`${idle}.2`, "active"],
    ]);
    const old = await json(`/api/v1/scenarios/${id}/runs/${idle}.1`, { key: f.org.key, expect: 200 });
    expect(old.history.map((h: { node_id: string }) => h.node_id)).toEqual(["bought", "vip", "email"]);
    const got = await getFlow(f, id);
    expect(got.stats).toMatchObject({ runs: 3, converted: 1, conversion_rate: 0.3333 });
    expect(got.stats.nodes.bought).toMatchObject({ entered: 3, waiting: 1, no: 1 });
  });

  it("tag_added (through the API), contact_created and a score reached start their journeys", async () => {
    setClock(T0);
    const f = await fixture(1);
    const exitOnly = (entry: Record<string, unknown>) =>
      flow(
        [
          { id: "w", type: "wait", days: 1, next: "x" },
          { id: "x", type: "exit" },
        ],
        { entry },
      );
    const tagged = await startedJourney(f, exitOnly({ type: "event", event: "tag_added", tag: "vip" }));
    const created = await startedJourney(f, exitOnly({ type: "event", event: "contact_created" }));
    const scored = await startedJourney(
      f,
      exitOnly({ type: "event", event: "score_reached", threshold: 10 }),
    );
    const c = await person(f, "new@example.com");
    await drainEvents();
    expect((await stateOf(created, c))?.status).toBe("active");
    expect(await stateOf(tagged, c)).toBeNull();
    await json(`/api/v1/contacts/${c}`, {
      key: f.org.key,
      method: "PATCH",
      body: { tags: ["vip"] },
      expect: 200,
    });
    await drainEvents();
    expect((await stateOf(tagged, c))?.journey?.cause).toBe("event");
    expect(await stateOf(scored, c)).toBeNull();
    // A rule's update_score pushes the score over 10.
    await json("/api/v1/rules", {
      key: f.org.key,
      body: {
        name: "visits score",
        trigger: "page_visit",
        actions: [{ type: "update_score", config: { points: 12 } }],
      },
      expect: 201,
    });
    await behaviour(f, c, "page_visit", { url: "https://shop.example/pricing" });
    expect((await stateOf(scored, c))?.status).toBe("active");
  });

  it("a date entry starts a run on the day, at the time of day, once a day; yearly runs again a year later", async () => {
    setClock(Date.parse("2031-03-14T04:00:00Z"));
    const f = await fixture(1);
    const [tpl] = f.templates as [string];
    const born = await person(f, "born@example.com", { attributes: { birthday: "1990-03-14" } });
    const other = await person(f, "other@example.com", { attributes: { birthday: "1990-07-01" } });
    const id = await startedJourney(
      f,
      flow([{ id: "wish", type: "email", template_id: tpl }], {
        entry: { type: "date", attribute: "birthday", yearly: true, at: "09:00" },
        reentry: { policy: "always" },
      }),
    );
    expect(await runJourneyDates(env)).toBe(1);
    expect(await runJourneyDates(env)).toBe(0);
    expect(await stateOf(id, other)).toBeNull();
    const s = await stateOf(id, born);
    expect(s?.tokens?.[0]?.hold).toBe(Date.parse("2031-03-14T09:00:00Z"));
    await settle(id, [born]);
    expect(await sentMessages(id)).toHaveLength(0);
    setClock(Date.parse("2031-03-14T09:00:00Z"));
    await settle(id, [born]);
    expect(await sentMessages(id)).toHaveLength(1);
    setClock(Date.parse("2032-03-14T04:00:00Z"));
    expect(await runJourneyDates(env)).toBe(1);
    expect((await runsOf(f, id)).items.map((r) => r.id)).toEqual([`${born}.1`, `${born}.2`]);
  });

  it("a segment entry enrolls its segment at start, and whoever comes to match", async () => {
    setClock(T0);
    const f = await fixture(1);
    const [tpl] = f.templates as [string];
    const seg = await json<{ id: string }>("/api/v1/segments", {
      key: f.org.key,
      body: {
        name: "Pros",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "attributes.plan", operator: "eq", value: "pro" }] },
      },
      expect: 201,
    });
    const pro = await person(f, "pro@example.com", { attributes: { plan: "pro" } });
    await person(f, "free@example.com", { attributes: { plan: "free" } });
    const s = await createScenario(f);
    await putFlow(
      f,
      s.id,
      flow([{ id: "hello", type: "email", template_id: tpl }], {
        entry: { type: "segment", segment_id: seg.id },
      }),
    );
    await transition(f, s.id, "start");
    await drainEnroll(q);
    const later = await person(f, "later@example.com", { attributes: { plan: "pro" } });
    await drainEnroll(q);
    await settle(s.id, [pro, later]);
    expect((await sentMessages(s.id)).map((m) => m.contact_id).sort()).toEqual([pro, later].sort());
  });
});

describe("POST /enroll and re-entry", () => {
  it("says why each contact was not started", async () => {
    setClock(T0);
    const f = await fixture(1);
    const [tpl] = f.templates as [string];
    const ok = await person(f, "ok@example.com");
    const gone = await person(f, "gone@example.com");
    await json(`/api/v1/contacts/${gone}`, {
      key: f.org.key,
      method: "PATCH",
      body: { status: "unsubscribed" },
      expect: 200,
    });
    const blocked = await person(f, "blocked@example.com");
    await suppress(tenantScope(db, f.org.id), "blocked@example.com", "manual");
    const body = flow([{ id: "hello", type: "email", template_id: tpl }]);
    const draft = await createScenario(f);
    await putFlow(f, draft.id, body);
    const refused = await json(`/api/v1/scenarios/${draft.id}/enroll`, {
      key: f.org.key,
      body: { contact_ids: [ok] },
      expect: 409,
    });
    expect(refused.error.code).toBe("ILLEGAL_TRANSITION");
    const id = await startedJourney(f, body);
    const res = await enroll(f, id, {
      contact_ids: [ok, gone, blocked, "ct_nobody"],
      emails: ["OK@example.com", "stranger@example.com"],
    });
    expect(res.enrolled).toBe(1);
    expect(res.skipped).toEqual([
      { contact_id: gone, reason: "unsubscribed" },
      { contact_id: blocked, reason: "suppressed" },
      { contact_id: "ct_nobody", reason: "not_found" },
      { contact_id: null, email: "stranger@example.com", reason: "not_found" },
    ]);
    // Consent required: a contact without granted consent is skipped with the ledger's reason.
    await json("/api/v1/settings/consent", {
      key: f.org.key,
      method: "PUT",
      body: {
        require_email_consent: true,
        require_sms_consent: false,
        double_opt_in: false,
        pending_expiry_days: 7,
      },
      expect: 200,
    });
    const nc = await person(f, "noconsent@example.com");
    expect((await enroll(f, id, { contact_ids: [nc] })).skipped).toEqual([
      { contact_id: nc, reason: "INSUFFICIENT_CONSENT" },
    ]);
    // Bad input: 422, never a 500.
    for (const bad of [{}, { contact_ids: [] }, { contact_ids: "x" }, { emails: Array(1001).fill("a@b.c") }])
      expect(
        (await json(`/api/v1/scenarios/${id}/enroll`, { key: f.org.key, body: bad, expect: 422 })).error.code,
      ).toBe("VALIDATION_ERROR");
  });

  it("once runs once; always runs again after the last run ended; after_days waits; a split's draw is kept", async () => {
    setClock(T0);
    const f = await fixture(1);
    const nodes = [
      {
        id: "ab",
        type: "split",
        paths: [
          { name: "A", percent: 50, next: "w" },
          { name: "B", percent: 50, next: "w" },
        ],
      },
      { id: "w", type: "wait", hours: 1 },
    ];
    const c = await person(f, "again@example.com");
    const once = await startedJourney(f, flow(nodes));
    const always = await startedJourney(f, flow(nodes, { reentry: { policy: "always" } }));
    const weekly = await startedJourney(f, flow(nodes, { reentry: { policy: "after_days", days: 7 } }));
    for (const id of [once, always, weekly])
      expect((await enroll(f, id, { contact_ids: [c] })).enrolled).toBe(1);
    for (const id of [once, always, weekly])
      expect((await enroll(f, id, { contact_ids: [c] })).skipped).toEqual([
        { contact_id: c, reason: "active_run" },
      ]);
    setClock(T0 + 2 * HOUR);
    for (const id of [once, always, weekly]) await settle(id, [c]);
    const draw = (await pathOf(always, c))[0];
    expect((await enroll(f, once, { contact_ids: [c] })).skipped).toEqual([
      { contact_id: c, reason: "already_ran" },
    ]);
    expect((await enroll(f, always, { contact_ids: [c] })).enrolled).toBe(1);
    expect((await enroll(f, weekly, { contact_ids: [c] })).skipped).toEqual([
      { contact_id: c, reason: "reentry_too_soon" },
    ]);
    setClock(T0 + 8 * DAY);
    expect((await enroll(f, weekly, { contact_ids: [c] })).enrolled).toBe(1);
    expect((await pathOf(always, c))[0]).toBe(draw);
    expect((await runsOf(f, always)).items.map((r) => r.status)).toEqual(["completed", "active"]);
  });
});

describe("one send per (run, email node)", () => {
  it("a second run sends its email again, once, under redelivery", async () => {
    setClock(T0);
    const f = await fixture(1);
    const [tpl] = f.templates as [string];
    const c = await person(f, "twice@example.com");
    const id = await startedJourney(
      f,
      flow([{ id: "hello", type: "email", template_id: tpl }], { reentry: { policy: "always" } }),
    );
    for (const run of [1, 2]) {
      setClock(T0 + run * DAY);
      expect((await enroll(f, id, { contact_ids: [c] })).enrolled).toBe(1);
      await fireAlarms(id, [c]);
      const sends = q.send.take().map((m) => m.body);
      expect(sends).toHaveLength(1);
      await Promise.all([drainSend(q, sends), drainSend(q, sends)]);
      await drainSend(q, sends);
      await settle(id, [c]);
      expect((await stateOf(id, c))?.status).toBe("completed");
    }
    expect(await sentMessages(id)).toHaveLength(2);
    expect((await runsOf(f, id)).items.map((r) => [r.id, r.status])).toEqual([
      [`${c}.1`, "completed"],
      [`${c}.2`, "completed"],
    ]);
  });
});

describe("goals, exits and editing a running journey", () => {
  it("a criteria goal converts, exit_on unsubscribed exits", async () => {
    setClock(T0);
    const f = await fixture(1);
    const id = await startedJourney(
      f,
      flow([{ id: "w", type: "wait", days: 3 }], {
        goal: {
          criteria: {
            logic: "and",
            conditions: [{ field: "tags", operator: "contains", value: "customer" }],
          },
        },
        exit_on: ["unsubscribed"],
      }),
    );
    const a = await person(f, "a@example.com");
    const b = await person(f, "b@example.com");
    await enroll(f, id, { contact_ids: [a, b] });
    await json(`/api/v1/contacts/${a}`, {
      key: f.org.key,
      method: "PATCH",
      body: { tags: ["customer"] },
      expect: 200,
    });
    await json(`/api/v1/contacts/${b}`, {
      key: f.org.key,
      method: "PATCH",
      body: { status: "unsubscribed" },
      expect: 200,
    });
    await drainEvents();
    setClock(T0 + HOUR);
    await settle(id, [a, b]);
    expect((await stateOf(id, a))?.status).toBe("converted");
    expect((await runsOf(f, id)).items.map((r) => [r.contact_id, r.status]).sort()).toEqual(
      [
        [a, "converted"],
        [b, "exited"],
      ].sort(),
    );
    const exited = (await runsOf(f, id, "?status=exited")).items;
    expect(exited.map((r) => r.reason)).toEqual(["unsubscribed"]);
  });

  it("a new version keeps runs at surviving nodes (with the new next) and ends runs at removed ones", async () => {
    setClock(T0);
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const [p, r] = [await person(f, "p@example.com"), await person(f, "r@example.com")];
    const id = await startedJourney(
      f,
      flow([
        {
          id: "pick",
          type: "condition",
          criteria: { logic: "and", conditions: [{ field: "email", operator: "starts_with", value: "p" }] },
          yes: "stay",
          no: "gone",
        },
        { id: "stay", type: "wait", hours: 2, next: "old-mail" },
        { id: "gone", type: "wait", hours: 2, next: "old-mail" },
        { id: "old-mail", type: "email", template_id: a },
      ]),
    );
    await enroll(f, id, { contact_ids: [p, r] });
    const v2 = await putFlow(
      f,
      id,
      flow([
        { id: "stay", type: "wait", hours: 2, next: "new-mail" },
        { id: "new-mail", type: "email", template_id: b },
      ]),
    );
    expect(v2.version).toBe(2);
    await drainEnroll(q);
    expect((await stateOf(id, r))?.status).toBe("exited");
    expect((await stateOf(id, r))?.stop_reason).toBe("node_removed");
    setClock(T0 + 3 * HOUR);
    await settle(id, [p, r]);
    expect(await pathOf(id, p)).toEqual(["pick:yes", "stay:done", "new-mail:sent"]);
    expect(await sentMessages(id)).toHaveLength(1);
    expect((await runsOf(f, id, "?status=exited")).items.map((x) => x.reason)).toEqual(["node_removed"]);
  });
});

describe("simulate", () => {
  it("answers a contact's path under given events and sends nothing", async () => {
    setClock(T0);
    const f = await fixture(1);
    const [tpl] = f.templates as [string];
    const c = await person(f, "sim@example.com");
    const s = await createScenario(f);
    await putFlow(f, s.id, abandonedCart(tpl));
    const sim = (events: unknown[]) =>
      json(`/api/v1/scenarios/${s.id}/simulate`, {
        key: f.org.key,
        body: { contact_id: c, start_at: new Date(T0).toISOString(), events },
        expect: 200,
      });
    const idle = await sim([]);
    expect(
      idle.timeline.map((e: { node_id: string; outcome: string }) => `${e.node_id}:${e.outcome}`),
    ).toEqual(["bought:no", "vip:no", "email:sent"]);
    expect(idle.timeline[0]).toMatchObject({ type: "wait_for", at: new Date(T0 + 4 * HOUR).toISOString() });
    expect(idle.status).toBe("completed");
    const buyer = await sim([{ type: "purchase", after_hours: 2 }]);
    expect(buyer.status).toBe("converted");
    expect(
      buyer.timeline.map((e: { node_id: string; outcome: string }) => `${e.node_id}:${e.outcome}`),
    ).toEqual(["bought:converted"]);
    expect(await sentMessages(s.id)).toHaveLength(0);
    expect(await contactTags(c)).toEqual([]);
  });
});
