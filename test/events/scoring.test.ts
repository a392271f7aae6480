import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { decayOrganization, isoWeek } from "../../src/cron/score-decay";
import { CRON_WEEKLY, runCron } from "../../src/cron";
import { contacts, interactions, scoreHistory } from "../../src/db/schema";
import { resetClock, setClock } from "../../src/lib/clock";
import { isMachineUserAgent } from "../../src/services/events/normalize/machine";
import { signClick, signOpen } from "../../src/services/tracking/tokens";
import { BASE, call, json } from "../helpers/api";
import {
  db,
  drainEvents,
  type EventsOrg,
  eventsOrg,
  getContactRow,
  getMessage,
  seedContact,
  seedMessage,
  seedScenario,
  variantsOf,
} from "../helpers/events";

const KEY = env.ENCRYPTION_KEY;
const T0 = Date.parse("2026-03-02T09:00:00Z"); // a Monday

beforeEach(() => setClock(T0));

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";

async function open(org: EventsOrg, messageId: string, userAgent = IPHONE) {
  const res = await call(`/t/o/${await signOpen(KEY, { o: org.id, m: messageId })}`, {
    headers: { "User-Agent": userAgent },
  });
  expect(res.status).toBe(200);
}

async function click(org: EventsOrg, messageId: string, url = "https://example.com/") {
  const token = await signClick(KEY, { o: org.id, m: messageId, u: url });
  const res = await exports.default.fetch(
    new Request(`${BASE}/t/c/${token}`, { redirect: "manual", headers: { "User-Agent": IPHONE } }),
  );
  expect(res.status).toBe(302);
}

const setScore = (id: string, score: number, lastEventAt: number | null = null) =>
  db.update(contacts).set({ score, lastEventAt }).where(eq(contacts.id, id));

describe("engagement scoring", () => {
  it("first open +3, later opens +1, first click +8, later clicks +2, each recorded with its cause", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "ada@example.com");
    const messageId = await seedMessage(org.tenant, { contactId: contact.id });
    // Two seconds apart: the same hit within a second counts once.
    const steps = [
      () => open(org, messageId),
      () => open(org, messageId),
      () => click(org, messageId),
      () => click(org, messageId),
    ];
    for (const [i, step] of steps.entries()) {
      setClock(T0 + i * 2000);
      await step();
      await drainEvents();
    }
    expect((await getContactRow(contact.id))?.score).toBe(3 + 1 + 8 + 2);
    const history = await json(`/api/v1/contacts/${contact.id}/score-history`, { key: org.key, expect: 200 });
    expect(
      history.items.map((h: { cause: string; delta: number; score_after: number }) => [
        h.cause,
        h.delta,
        h.score_after,
      ]),
    ).toEqual([
      ["click", 2, 14],
      ["first_click", 8, 12],
      ["open", 1, 4],
      ["first_open", 3, 3],
    ]);
    const page = await json(`/api/v1/contacts/${contact.id}/score-history?limit=3`, {
      key: org.key,
      expect: 200,
    });
    expect(page.items).toHaveLength(3);
    const rest = await json(
      `/api/v1/contacts/${contact.id}/score-history?limit=3&cursor=${page.next_cursor}`,
      { key: org.key, expect: 200 },
    );
    expect(rest.items.map((h: { cause: string }) => h.cause)).toEqual(["first_open"]);
    expect(rest.next_cursor).toBeNull();
    const stranger = await eventsOrg();
    await json(`/api/v1/contacts/${contact.id}/score-history`, { key: stranger.key, expect: 404 });
  });

  it("a bounce takes 10 points and never below 0", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "bob@example.com");
    await setScore(contact.id, 4);
    const body = (event: string, at: string) => ({
      provider: "log",
      external_id: `b-${org.id}`,
      contact_id: contact.id,
      event,
      occurred_at: at,
    });
    await json("/api/v1/email-events", {
      key: org.key,
      body: body("bounced", "2026-03-01T10:00:00Z"),
      expect: 202,
    });
    await drainEvents();
    expect((await getContactRow(contact.id))?.score).toBe(0);
    const rows = await db.select().from(scoreHistory).where(eq(scoreHistory.contactId, contact.id)).all();
    expect(rows).toMatchObject([{ cause: "bounce", delta: -4, scoreAfter: 0 }]);
  });

  it("uses the organization's own points (PUT /api/v1/settings/scoring)", async () => {
    const org = await eventsOrg();
    expect(await json("/api/v1/settings/scoring", { key: org.key, expect: 200 })).toEqual({
      first_open: 3,
      later_open: 1,
      first_click: 8,
      later_click: 2,
      bounce: -10,
      reply: 10,
      weekly_decay: 1,
      hot_threshold: 15,
    });
    const put = await json("/api/v1/settings/scoring", {
      key: org.key,
      method: "PUT",
      body: { first_open: 5, decay: -2 },
      expect: 200,
    });
    expect(put).toMatchObject({ first_open: 5, later_open: 1, weekly_decay: 2 });
    await json("/api/v1/settings/scoring", {
      key: org.key,
      method: "PUT",
      body: { first_open: 1.5 },
      expect: 422,
    });
    await json("/api/v1/settings/scoring", {
      key: org.key,
      method: "PUT",
      body: { surprise: 1 },
      expect: 422,
    });
    const contact = await seedContact(org.tenant, "cy@example.com");
    await open(org, await seedMessage(org.tenant, { contactId: contact.id }));
    await drainEvents();
    expect((await getContactRow(contact.id))?.score).toBe(5);
  });
});

describe("machine opens", () => {
  it("recognises Apple MPP, image proxies and scanners, not real clients", () => {
    for (const ua of [
      "Mozilla/5.0",
      "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
      "Barracuda Sentinel (EE)",
      "python-requests/2.31",
    ]) {
      expect(isMachineUserAgent(ua), ua).toBe(true);
    }
    for (const ua of [
      IPHONE,
      "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328)",
      undefined,
    ]) {
      expect(isMachineUserAgent(ua), ua).toBe(false);
    }
  });

  it("are counted apart: no score, no open count, no inbox item, only the variant's machine_opened", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "mpp@example.com");
    const { scenarioId, stepId } = await seedScenario(org.tenant, { contactIds: [contact.id] });
    const messageId = await seedMessage(org.tenant, {
      contactId: contact.id,
      scenarioId,
      stepOrder: 1,
      variantName: "A",
    });
    await open(org, messageId, "Mozilla/5.0");
    setClock(T0 + 5000);
    await open(org, messageId, "Mozilla/5.0 (via ggpht.com GoogleImageProxy)");
    await drainEvents();
    expect(await getMessage(messageId)).toMatchObject({ openCount: 0, machineOpenCount: 2, status: "sent" });
    expect((await getContactRow(contact.id))?.score).toBe(0);
    expect(
      await db.select().from(interactions).where(eq(interactions.contactId, contact.id)).all(),
    ).toHaveLength(0);
    expect((await variantsOf(stepId)).map((v) => [v.name, v.opened, v.machineOpened])).toEqual(
      expect.arrayContaining([
        ["A", 0, 1],
        ["B", 0, 0],
      ]),
    );

    // A person opens twice and clicks: the variant counts the message once for each.
    setClock(T0 + 60_000);
    await open(org, messageId);
    setClock(T0 + 70_000);
    await open(org, messageId);
    await click(org, messageId);
    await drainEvents();
    const a = (await variantsOf(stepId)).find((v) => v.name === "A");
    expect(a).toMatchObject({ opened: 1, clicked: 1, machineOpened: 1 });
    expect((await getContactRow(contact.id))?.score).toBe(3 + 1 + 8);
  });

  it("an open within seconds of delivery is a machine's; a minute later it is a reader's", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "fast@example.com");
    const early = await seedMessage(org.tenant, {
      contactId: contact.id,
      deliveredAt: T0 - 3000,
      status: "delivered",
    });
    const late = await seedMessage(org.tenant, {
      contactId: contact.id,
      deliveredAt: T0 - 60_000,
      status: "delivered",
    });
    await open(org, early);
    await open(org, late);
    await drainEvents();
    expect(await getMessage(early)).toMatchObject({ openCount: 0, machineOpenCount: 1 });
    expect(await getMessage(late)).toMatchObject({ openCount: 1, machineOpenCount: 0, status: "opened" });
    expect((await getContactRow(contact.id))?.score).toBe(3);
  });
});

describe("weekly decay", () => {
  it("lowers positive scores by the decay, never below 0, once per ISO week, in pages", async () => {
    const org = await eventsOrg();
    await json("/api/v1/settings/scoring", {
      key: org.key,
      method: "PUT",
      body: { weekly_decay: 2 },
      expect: 200,
    });
    const scores = [0, 1, 2, 5, 20];
    const ids: string[] = [];
    for (const [i, s] of scores.entries()) {
      const c = await seedContact(org.tenant, `decay${i}@example.com`);
      await setScore(c.id, s);
      ids.push(c.id);
    }
    const current = async () => Promise.all(ids.map(async (id) => (await getContactRow(id))?.score));
    const week = isoWeek(T0);
    expect(week).toBe("2026-W10");
    expect(await decayOrganization(org.tenant, week, 2)).toEqual({ skipped: false, pages: 2 });
    expect(await current()).toEqual([0, 0, 0, 3, 18]);
    // Again in the same week (Wednesday), through the Cron Trigger: nothing changes.
    setClock(T0 + 2 * 86_400_000);
    await runCron(
      createScheduledController({ cron: CRON_WEEKLY, scheduledTime: T0 + 2 * 86_400_000 }),
      env,
      createExecutionContext(),
    );
    expect(await current()).toEqual([0, 0, 0, 3, 18]);
    // A run that died before recording the week starts over without decaying anyone twice.
    await env.DB.prepare(
      "update organizations set settings = json_remove(settings, '$.scoring_decay') where id = ?",
    )
      .bind(org.id)
      .run();
    expect(await decayOrganization(org.tenant, week, 2)).toMatchObject({ skipped: false });
    expect(await current()).toEqual([0, 0, 0, 3, 18]);
    const history = await db
      .select()
      .from(scoreHistory)
      .where(and(eq(scoreHistory.organizationId, org.id), eq(scoreHistory.cause, "decay")))
      .all();
    expect(history.map((h) => [h.delta, h.scoreAfter]).sort()).toEqual(
      [
        [-1, 0],
        [-2, 0],
        [-2, 18],
        [-2, 3],
      ].sort(),
    );

    // The next Monday the Cron Trigger decays again.
    const next = T0 + 7 * 86_400_000;
    setClock(next);
    await runCron(
      createScheduledController({ cron: CRON_WEEKLY, scheduledTime: next }),
      env,
      createExecutionContext(),
    );
    expect(await current()).toEqual([0, 0, 0, 1, 16]);
    resetClock();
  });
});

describe("hot leads", () => {
  it("lists contacts at or above the threshold, score descending then most recent, with the total", async () => {
    const org = await eventsOrg();
    const people = [
      ["old30@example.com", 30, T0 - 86_400_000, "Old", "Thirty"],
      ["new30@example.com", 30, T0, "New", null],
      ["twenty@example.com", 20, null, null, null],
      ["fifteen@example.com", 15, T0, null, null],
      ["fourteen@example.com", 14, T0, null, null],
    ] as const;
    for (const [email, score, at, first, last] of people) {
      const c = await seedContact(org.tenant, email, {
        first_name: first ?? undefined,
        last_name: last ?? undefined,
      });
      await setScore(c.id, score, at);
    }
    const hot = await json("/api/v1/leads/hot?threshold=15&limit=10", { key: org.key, expect: 200 });
    expect(hot.threshold).toBe(15);
    expect(hot.total).toBe(4);
    expect(hot.items.map((i: { email: string }) => i.email)).toEqual([
      "new30@example.com",
      "old30@example.com",
      "twenty@example.com",
      "fifteen@example.com",
    ]);
    expect(hot.items[1]).toMatchObject({
      name: "Old Thirty",
      score: 30,
      last_event_at: new Date(T0 - 86_400_000).toISOString(),
    });
    expect(hot.items[2]).toMatchObject({ name: null, last_event_at: null });
    const top = await json("/api/v1/leads/hot?threshold=15&limit=2", { key: org.key, expect: 200 });
    expect(top).toMatchObject({ total: 4, threshold: 15 });
    expect(top.items).toHaveLength(2);
    // Without a threshold: the organization's hot_threshold.
    await json("/api/v1/settings/scoring", {
      key: org.key,
      method: "PUT",
      body: { hot_threshold: 25 },
      expect: 200,
    });
    expect((await json("/api/v1/leads/hot", { key: org.key, expect: 200 })).total).toBe(2);
    await json("/api/v1/leads/hot?threshold=-1", { key: org.key, expect: 400 });
    // Another organization sees none of them.
    const other = await eventsOrg();
    expect((await json("/api/v1/leads/hot?threshold=0", { key: other.key, expect: 200 })).total).toBe(0);
  });
});
