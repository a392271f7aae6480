import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { json } from "../helpers/api";
import { drainEvents } from "../helpers/events";
import {
  clickJourney,
  contactTags,
  enroll,
  flow,
  getFlow,
  pathOf,
  runsOf,
  startedJourney,
  stateOf,
} from "../helpers/journey";
import {
  createContact,
  drainSend,
  type Fixture,
  fireAlarms,
  fixture,
  ledgerOf,
  sentMessages,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.parse("2031-01-06T10:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Fire the sequences' alarms and deliver what they sent, until nothing moves. */
async function settle(scenarioId: string, contactIds: string[]) {
  for (let i = 0; i < 6; i++) {
    await fireAlarms(scenarioId, contactIds);
    if (!(await drainSend(q))) break;
  }
}

/** An email event as a provider reports it, through POST /api/v1/email-events and the EVENTS consumer. */
async function emailEvent(f: Fixture, scenarioId: string, contactId: string, event: string, at: number) {
  const m = await env.DB.prepare(
    "SELECT provider, external_id FROM messages WHERE scenario_id = ?1 AND contact_id = ?2 ORDER BY created_at LIMIT 1",
  )
    .bind(scenarioId, contactId)
    .first<{ provider: string; external_id: string }>();
  if (!m) throw new Error("no message to react to");
  await json("/api/v1/email-events", {
    key: f.org.key,
    body: {
      provider: m.provider,
      external_id: m.external_id,
      event,
      occurred_at: new Date(at).toISOString(),
    },
    expect: 202,
  });
  await drainEvents();
}

const contacts = async (
  f: Fixture,
  n: number,
  extra: (i: number) => Record<string, unknown> = () => ({}),
) => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push((await createContact(f, { email: `j${i}@example.com`, ...extra(i) })).id);
  return ids;
};

describe("a journey: email -> wait for a click (2 days) -> yes: tag engaged, no: reminder", () => {
  it("walks each contact's path, counts it per node, lists the runs with their history", async () => {
    setClock(T0);
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const [clicker, idle] = await contacts(f, 2);
    const id = await startedJourney(f, clickJourney(a, b));
    expect(await enroll(f, id, { contact_ids: [clicker, idle] })).toEqual({ enrolled: 2, skipped: [] });
    await settle(id, [clicker as string, idle as string]);
    expect((await sentMessages(id)).map((m) => m.step_order)).toEqual([1, 1]);

    setClock(T0 + 3 * HOUR);
    await emailEvent(f, id, clicker as string, "clicked", T0 + 3 * HOUR);
    expect(await contactTags(clicker as string)).toEqual(["engaged"]);
    expect((await stateOf(id, clicker as string))?.status).toBe("completed");
    expect(await pathOf(id, clicker as string)).toEqual(["welcome:sent", "clicked:yes", "tag:applied"]);

    // Two days pass without a click: the reminder goes out.
    setClock(T0 + 2 * DAY + HOUR);
    await settle(id, [clicker as string, idle as string]);
    expect(await pathOf(id, idle as string)).toEqual(["welcome:sent", "clicked:no", "reminder:sent"]);
    expect((await stateOf(id, idle as string))?.status).toBe("completed");
    expect(await contactTags(idle as string)).toEqual([]);
    expect((await sentMessages(id)).map((m) => m.step_order).sort()).toEqual([1, 1, 2]);

    const got = await getFlow(f, id);
    expect(got.stats.runs).toBe(2);
    expect(got.stats.nodes.welcome).toMatchObject({ entered: 2, completed: 2, sent: 2, clicked: 1 });
    expect(got.stats.nodes.clicked).toMatchObject({ entered: 2, waiting: 0, yes: 1, no: 1 });
    expect(got.stats.nodes.tag).toMatchObject({ entered: 1 });
    expect(got.stats.nodes.reminder).toMatchObject({ entered: 1, sent: 1 });

    const runs = await runsOf(f, id);
    expect(runs.items.map((r) => [r.contact_id, r.status, r.node_id])).toEqual(
      [
        [clicker, "completed", "tag"],
        [idle, "completed", "reminder"],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    const run = await json(`/api/v1/scenarios/${id}/runs/${idle}.1`, { key: f.org.key, expect: 200 });
    expect(
      run.history.map(
        (h: { node_id: string; type: string; outcome: string }) => `${h.node_id}/${h.type}/${h.outcome}`,
      ),
    ).toEqual(["welcome/email/sent", "clicked/wait_for/no", "reminder/email/sent"]);
    expect(run.history[1].at).toBe(new Date(T0 + 2 * DAY).toISOString());
    await json(`/api/v1/scenarios/${id}/runs/${idle}.2`, { key: f.org.key, expect: 404 });
    await json(`/api/v1/scenarios/${id}/runs/nonsense`, { key: f.org.key, expect: 404 });
    expect((await runsOf(f, id, `?contact_id=${idle}&status=completed`)).items).toHaveLength(1);
    expect((await runsOf(f, id, "?status=converted")).items).toHaveLength(0);
  });

  it("sends once per (run, email node) and tags once under redelivered sends and duplicate, concurrent clicks", async () => {
    setClock(T0);
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const [c] = await contacts(f, 1);
    const id = await startedJourney(f, clickJourney(a, b));
    await enroll(f, id, { contact_ids: [c] });
    // The same enrollment again changes nothing: one run at a time.
    expect((await enroll(f, id, { contact_ids: [c] })).skipped).toEqual([
      { contact_id: c, reason: "active_run" },
    ]);
    await fireAlarms(id, [c as string]);
    const sends = q.send.take().map((m) => m.body);
    expect(sends).toHaveLength(1);
    // The SEND message delivered three times, twice at once.
    await Promise.all([drainSend(q, sends), drainSend(q, sends)]);
    await drainSend(q, sends);
    await fireAlarms(id, [c as string]);
    expect(await sentMessages(id)).toHaveLength(1);
    // The click reported twice at once, and once more later.
    await Promise.all([
      emailEvent(f, id, c as string, "clicked", T0 + HOUR),
      emailEvent(f, id, c as string, "clicked", T0 + HOUR),
    ]);
    await emailEvent(f, id, c as string, "clicked", T0 + 2 * HOUR);
    await settle(id, [c as string]);
    expect(await contactTags(c as string)).toEqual(["engaged"]);
    expect(await pathOf(id, c as string)).toEqual(["welcome:sent", "clicked:yes", "tag:applied"]);
    expect((await ledgerOf(id)).map((r) => r.status)).toEqual(["executed"]);
  });
});

describe("node types", () => {
  it("condition, split (sticky), wait until a date attribute, wait until a time of day, parallel, exit", async () => {
    setClock(T0);
    const f = await fixture(3);
    const [a, b, c] = f.templates as [string, string, string];
    const ids = await contacts(f, 6, (i) => ({
      attributes: { plan: i % 2 ? "pro" : "free", renewal: "2031-01-09T00:00:00Z" },
    }));
    const id = await startedJourney(
      f,
      flow([
        {
          id: "is-pro",
          type: "condition",
          criteria: {
            logic: "and",
            conditions: [{ field: "attributes.plan", operator: "eq", value: "pro" }],
          },
          yes: "both",
          no: "ab",
        },
        { id: "both", type: "parallel", paths: ["until-renewal", "morning"] },
        {
          id: "until-renewal",
          type: "wait",
          until_attribute: "attributes.renewal",
          offset_days: -1,
          next: "renew",
        },
        { id: "renew", type: "email", template_id: a },
        { id: "morning", type: "wait", until_time: "08:30", days: ["tue"], next: "tip" },
        { id: "tip", type: "email", template_id: b },
        {
          id: "ab",
          type: "split",
          paths: [
            { name: "A", percent: 50, next: "mail-a" },
            { name: "B", percent: 50, next: "stop" },
          ],
        },
        { id: "mail-a", type: "email", template_id: c },
        { id: "stop", type: "exit" },
      ]),
    );
    await enroll(f, id, { contact_ids: ids });
    await settle(id, ids);
    const pro = ids.filter((_, i) => i % 2);
    const free = ids.filter((_, i) => !(i % 2));
    for (const p of pro) {
      const s = await stateOf(id, p);
      expect(s?.tokens?.map((t) => [t.node, t.wake_at])).toEqual([
        ["until-renewal", Date.parse("2031-01-08T00:00:00Z")],
        // Tuesday 08:30 in the scenario's zone (UTC here).
        ["morning", Date.parse("2031-01-07T08:30:00Z")],
      ]);
    }
    const draws = new Map<string, string>();
    for (const p of free) {
      const path = await pathOf(id, p);
      expect(path[0]).toBe("is-pro:no");
      draws.set(p, path[1] as string);
      const s = await stateOf(id, p);
      expect(s?.status).toBe("completed");
      if (path[1] === "ab:B") expect(s?.stop_reason).toBe("exit");
    }
    // Tuesday 08:30, then the day before the renewal: the pros get both emails, at those times.
    setClock(Date.parse("2031-01-07T08:30:00Z"));
    await settle(id, pro);
    setClock(Date.parse("2031-01-08T00:00:00Z"));
    await settle(id, pro);
    for (const p of pro) {
      expect((await stateOf(id, p))?.status).toBe("completed");
      expect((await pathOf(id, p)).slice(0, 2)).toEqual(["is-pro:yes", "both:done"]);
    }
    const sent = await sentMessages(id);
    expect(sent.filter((m) => pro.includes(m.contact_id))).toHaveLength(pro.length * 2);
    // The split's draw is kept with the contact (journeys.test.ts: a second run takes the same path).
    for (const p of free) expect((await stateOf(id, p))?.draws?.ab).toBe((draws.get(p) as string).slice(3));
    const got = await getFlow(f, id);
    const byPath = got.stats.nodes.ab.by_path;
    expect(byPath.A + byPath.B).toBe(free.length);
    expect(got.stats.nodes["is-pro"]).toMatchObject({ yes: pro.length, no: free.length });
  });

  it("actions apply once per run (tag, field, score, notify); SMS without a provider is recorded skipped", async () => {
    setClock(T0);
    const f = await fixture(1);
    await json("/api/v1/users", {
      key: f.org.key,
      body: { name: "Sam", email: "sam@team.example" },
      expect: 201,
    });
    const [c] = await contacts(f, 1);
    const id = await startedJourney(
      f,
      flow([
        { id: "tag", type: "action", action: { type: "add_tag", config: { tag: "vip" } }, next: "field" },
        {
          id: "field",
          type: "action",
          action: { type: "update_field", config: { field: "lifecycle_stage", value: "customer" } },
          next: "score",
        },
        {
          id: "score",
          type: "action",
          action: { type: "update_score", config: { points: 7 } },
          next: "tell",
        },
        {
          id: "tell",
          type: "action",
          action: { type: "notify", config: { title: "A VIP arrived" } },
          next: "sms",
        },
        { id: "sms", type: "sms", content: "Hello", sender: "Shop", next: "end" },
        { id: "end", type: "exit" },
      ]),
    );
    await enroll(f, id, { contact_ids: [c] });
    await settle(id, [c as string]);
    const path = await pathOf(id, c as string);
    expect(path.slice(0, 4)).toEqual(["tag:applied", "field:applied", "score:applied", "tell:applied"]);
    expect(path[4]).toMatch(/^sms:(skipped|failed)/);
    const row = await env.DB.prepare("SELECT tags, lifecycle_stage, score FROM contacts WHERE id = ?1")
      .bind(c)
      .first<{ tags: string; lifecycle_stage: string; score: number }>();
    expect(row).toMatchObject({ tags: '["vip"]', lifecycle_stage: "customer", score: 7 });
    const notes = await env.DB.prepare(
      "SELECT count(*) AS n FROM notifications WHERE organization_id = ?1 AND title = ?2",
    )
      .bind(f.org.id, "A VIP arrived")
      .first<{ n: number }>();
    expect(notes?.n).toBe(1);
    const before = notes?.n;
    // Alarms and events again: nothing applies twice.
    await settle(id, [c as string]);
    const again = await env.DB.prepare("SELECT score FROM contacts WHERE id = ?1")
      .bind(c)
      .first<{ score: number }>();
    expect(again?.score).toBe(7);
    const notes2 = await env.DB.prepare(
      "SELECT count(*) AS n FROM notifications WHERE organization_id = ?1 AND title = ?2",
    )
      .bind(f.org.id, "A VIP arrived")
      .first<{ n: number }>();
    expect(notes2?.n).toBe(before);
  });
});
