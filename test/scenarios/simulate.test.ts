import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { json } from "../helpers/api";
import {
  child,
  createContact,
  createScenario,
  entry,
  fixture,
  ledgerOf,
  putSteps,
  useScenarioQueues,
} from "../helpers/scenario";

useScenarioQueues();
const NOW = Date.parse("2031-01-10T12:00:00Z");

async function setup() {
  setClock(NOW);
  const f = await fixture(3);
  const [a, b, c] = f.templates as [string, string, string];
  const s = await createScenario(f, {
    timezone: "Europe/Paris",
    send_window_start: "09:00",
    send_window_end: "17:00",
    send_days: ["mon", "tue", "wed", "thu", "fri"],
    daily_cap: 1,
    cooldown_days: 2,
  });
  await putSteps(f, s.id, [
    entry(a, {
      variants: [
        { name: "A", template_id: a, weight: 70 },
        { name: "B", template_id: b, weight: 30 },
      ],
    }),
    child(2, "not_opened", 1, b, { delay_days: 1 }),
    child(3, "opened", 1, c, { delay_hours: 2 }),
  ]);
  const contact = await createContact(f, { email: "ada@example.com" });
  // Monday's cap is already used up by other contacts.
  await env.DB.prepare(
    "INSERT INTO scenario_daily_counters (scenario_id, day, count) VALUES (?, '2031-01-13', 1)",
  )
    .bind(s.id)
    .run();
  return { f, scenarioId: s.id, contactId: contact.id };
}

describe("POST /scenarios/:id/simulate", () => {
  it("answers the timeline with each send's step, variant, time and why it moved; sends nothing", async () => {
    const { f, scenarioId, contactId } = await setup();
    const res = await json(`/api/v1/scenarios/${scenarioId}/simulate`, {
      key: f.org.key,
      body: { contact_id: contactId, start_at: "2031-01-10T16:00:00Z", events: [] },
      expect: 200,
    });
    const sends = res.timeline.filter((e: { type: string }) => e.type === "send");
    expect(sends).toHaveLength(2);
    // Friday 17:00 Paris is past the window -> Monday 09:00; Monday's cap is full -> Tuesday 09:00.
    expect(sends[0]).toMatchObject({
      step_order: 1,
      at: "2031-01-14T08:00:00.000Z",
      due_at: "2031-01-10T16:00:00.000Z",
    });
    expect(["A", "B"]).toContain(sends[0].variant);
    expect(sends[0].moves.map((m: { reason: string; to: string }) => [m.reason, m.to])).toEqual([
      ["window", "2031-01-13T08:00:00.000Z"],
      ["cap", "2031-01-14T08:00:00.000Z"],
    ]);
    // Not opened within a day: due Wednesday 09:00, but the 2-day cooldown holds it to Thursday.
    expect(sends[1]).toMatchObject({
      step_order: 2,
      at: "2031-01-16T08:00:00.000Z",
      due_at: "2031-01-15T08:00:00.000Z",
    });
    expect(sends[1].moves.map((m: { reason: string }) => m.reason)).toEqual(["cooldown"]);
    expect(res.status).toBe("completed");

    expect(await ledgerOf(scenarioId)).toEqual([]);
    const counter = await env.DB.prepare(
      "SELECT count FROM scenario_daily_counters WHERE scenario_id = ? AND day = '2031-01-14'",
    )
      .bind(scenarioId)
      .first();
    expect(counter).toBeNull();
    const contact = await json(`/api/v1/contacts/${contactId}/export`, { key: f.org.key });
    expect(contact.sequences).toEqual([]);
  });

  it("events change the path: an open takes the opened branch, an unsubscribe ends it", async () => {
    const { f, scenarioId, contactId } = await setup();
    const opened = await json(`/api/v1/scenarios/${scenarioId}/simulate`, {
      key: f.org.key,
      body: {
        contact_id: contactId,
        start_at: "2031-01-10T16:00:00Z",
        events: [{ type: "opened", at: "2031-01-14T09:00:00Z" }],
      },
      expect: 200,
    });
    expect(
      opened.timeline.map((e: { type: string; step_order?: number; effect?: string; reason?: string }) => [
        e.type,
        e.step_order,
        e.effect ?? e.reason ?? null,
      ]),
    ).toEqual([
      ["send", 1, null],
      ["event", 1, "opened"],
      ["skip", 2, "parent_opened"],
      ["send", 3, null],
      ["end", undefined, null],
    ]);
    expect(opened.timeline[3]).toMatchObject({
      at: "2031-01-16T08:00:00.000Z",
      moves: [{ reason: "cooldown" }],
    });

    const unsub = await json(`/api/v1/scenarios/${scenarioId}/simulate`, {
      key: f.org.key,
      body: {
        contact_id: contactId,
        start_at: "2031-01-10T16:00:00Z",
        events: [{ type: "unsubscribed", at: "2031-01-14T09:00:00Z" }],
      },
      expect: 200,
    });
    expect(unsub.status).toBe("stopped");
    expect(unsub.timeline.filter((e: { type: string }) => e.type === "send")).toHaveLength(1);
    expect(unsub.timeline.at(-1)).toMatchObject({ type: "end", status: "stopped", reason: "unsubscribed" });
  });

  it("bad input answers 422 or 404, never a 500", async () => {
    const { f, scenarioId, contactId } = await setup();
    const bad = await json(`/api/v1/scenarios/${scenarioId}/simulate`, {
      key: f.org.key,
      body: { contact_id: contactId, events: [{ type: "exploded", at: "yesterday" }] },
      expect: 422,
    });
    expect(bad.error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(["events.0.type", "events.0.at"]),
    );
    await json(`/api/v1/scenarios/${scenarioId}/simulate`, {
      key: f.org.key,
      body: { contact_id: "ct_nope", events: [] },
      expect: 404,
    });
  });
});
