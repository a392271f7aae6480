/**
 * The deliverability guard (pause a scenario or campaign past a bounce or complaint rate, with a
 * notification) and the organization-wide frequency cap.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { json } from "../helpers/api";
import { drainEvents } from "../helpers/events";
import {
  drainEnroll,
  drainSend,
  entry,
  type Fixture,
  fireAlarms,
  fixture,
  importContacts,
  ledgerOf,
  createScenario,
  putSteps,
  transition,
  runningScenario,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.UTC(2026, 10, 3, 10, 0, 0);

const guard = (f: Fixture, body: Record<string, unknown>) =>
  json("/api/v1/settings/deliverability", { key: f.org.key, method: "PUT", body, expect: 200 });

/** A provider event about one of our messages, through POST /api/v1/email-events. */
async function providerEvent(f: Fixture, messageId: string, event: "bounced" | "complained") {
  const m = await env.DB.prepare("SELECT provider, external_id FROM messages WHERE id = ?1")
    .bind(messageId)
    .first<{ provider: string; external_id: string }>();
  await json("/api/v1/email-events", {
    key: f.org.key,
    body: {
      provider: m?.provider,
      external_id: m?.external_id,
      event,
      occurred_at: new Date(T0 + 60_000).toISOString(),
      ...(event === "bounced" ? { bounce_type: "Permanent" } : {}),
    },
    expect: 202,
  });
  await drainEvents();
}

const messageIds = async (column: "scenario_id" | "campaign_id", id: string) =>
  (
    await env.DB.prepare(`SELECT id FROM messages WHERE ${column} = ?1 ORDER BY id`)
      .bind(id)
      .all<{ id: string }>()
  ).results.map((r) => r.id);

/** Fire the sequences' alarms and send until `expected` messages of the scenario exist (alarm work can land late). */
async function sendSteps(scenarioId: string, contactIds: string[], expected: number) {
  for (let i = 0; i < 20; i++) {
    await fireAlarms(scenarioId, contactIds);
    await drainSend(q);
    if ((await messageIds("scenario_id", scenarioId)).length >= expected) return;
  }
}

describe("deliverability guard", () => {
  it("pauses a scenario once its bounce rate passes 5% after min_sends, notifies members, and stays paused", async () => {
    setClock(T0);
    const f = await fixture(1);
    const member = await json<{ id: string }>("/api/v1/users", {
      key: f.org.key,
      body: { email: "owner@company.example", name: "Owner" },
      expect: 201,
    });
    const defaults = await json("/api/v1/settings/deliverability", { key: f.org.key });
    expect(defaults).toEqual({
      bounce_pause_rate: 0.05,
      complaint_pause_rate: 0.003,
      min_sends: 200,
      window_days: 7,
      frequency_cap: null,
    });
    await guard(f, { min_sends: 20 });
    const s = await runningScenario(f, q, {
      steps: [entry(f.templates[0] as string)],
      contacts: Array.from({ length: 20 }, (_, i) => ({ email: `r${i}@list.example` })),
    });
    await sendSteps(s.scenarioId, s.contactIds, 20);
    const ids = await messageIds("scenario_id", s.scenarioId);
    expect(ids).toHaveLength(20);

    // 1 of 20 is 5%: not past the line.
    await providerEvent(f, ids[0] as string, "bounced");
    let scenario = await json(`/api/v1/scenarios/${s.scenarioId}`, { key: f.org.key });
    expect(scenario.status).toBe("active");
    // 2 of 20 is 10%.
    await providerEvent(f, ids[1] as string, "bounced");
    scenario = await json(`/api/v1/scenarios/${s.scenarioId}`, { key: f.org.key });
    expect(scenario).toMatchObject({ status: "paused", paused_reason: "bounce_rate" });
    const notes = await json<{ items: { title: string; body: string }[] }>(
      `/api/v1/notifications?user_id=${member.id}`,
      { key: f.org.key },
    );
    expect(notes.items).toHaveLength(1);
    expect(notes.items[0]?.title).toBe("Scenario paused: bounce rate 10.0% bounced");
    expect(notes.items[0]?.body).toContain("of 20 emails in the last 7 days (the limit is 5.0%)");

    // More bounces (and the same event again) notify no one twice; resume is manual and clears the reason.
    await providerEvent(f, ids[2] as string, "bounced");
    await providerEvent(f, ids[2] as string, "bounced");
    expect((await json(`/api/v1/notifications?user_id=${member.id}`, { key: f.org.key })).items).toHaveLength(
      1,
    );
    const resumed = await json(`/api/v1/scenarios/${s.scenarioId}/resume`, {
      key: f.org.key,
      method: "POST",
      expect: 200,
    });
    expect(resumed).toMatchObject({ status: "active", paused_reason: null });
  });

  it("pauses a sending campaign on its complaint rate; the rest of its sends wait", async () => {
    setClock(T0);
    const f = await fixture(1);
    await guard(f, { min_sends: 5 });
    await importContacts(f, 20, (i) => `c${i}@shop.example,C${i}`);
    const seg = await json("/api/v1/segments", {
      key: f.org.key,
      body: {
        name: "all",
        type: "dynamic",
        criteria: {
          logic: "and",
          conditions: [{ field: "email", operator: "contains", value: "@shop.example" }],
        },
      },
      expect: 201,
    });
    const c = await json("/api/v1/campaigns", {
      key: f.org.key,
      body: {
        name: "News",
        from_email: "news@sender.example",
        template_id: f.templates[0],
        segment_ids: [seg.id],
      },
      expect: 201,
    });
    await json(`/api/v1/campaigns/${c.id}/send`, { key: f.org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    const bodies = q.send.take().map((m) => m.body);
    expect(bodies).toHaveLength(20);
    await drainSend(q, bodies.slice(0, 10));
    const ids = await messageIds("campaign_id", c.id);
    await providerEvent(f, ids[0] as string, "complained");
    const paused = await json(`/api/v1/campaigns/${c.id}`, { key: f.org.key });
    expect(paused).toMatchObject({ status: "paused", paused_reason: "complaint_rate" });
    await drainSend(q, bodies.slice(10));
    expect(await messageIds("campaign_id", c.id)).toHaveLength(10);
  });

  it("a transient bounce does not count; below min_sends nothing pauses", async () => {
    setClock(T0);
    const f = await fixture(1);
    const s = await runningScenario(f, q, {
      steps: [entry(f.templates[0] as string)],
      contacts: Array.from({ length: 5 }, (_, i) => ({ email: `t${i}@list.example` })),
    });
    await sendSteps(s.scenarioId, s.contactIds, 5);
    const ids = await messageIds("scenario_id", s.scenarioId);
    // 5 sends, 3 permanent bounces: 60%, but the default min_sends is 200.
    for (const id of ids.slice(0, 3)) await providerEvent(f, id, "bounced");
    expect((await json(`/api/v1/scenarios/${s.scenarioId}`, { key: f.org.key })).status).toBe("active");
    const health = await env.DB.prepare(
      "SELECT sum(sent) AS sent, sum(bounced) AS bounced FROM send_health WHERE scope_id = ?1",
    )
      .bind(s.scenarioId)
      .first<{ sent: number; bounced: number }>();
    expect(health).toEqual({ sent: 5, bounced: 3 });
  });
});

describe("frequency cap", () => {
  it("one email per 7 days: a campaign's dry run counts frequency_cap, the send skips with the reason", async () => {
    setClock(T0);
    const f = await fixture(2);
    await guard(f, { frequency_cap: { max: 1, per_days: 7 } });
    const s = await runningScenario(f, q, {
      steps: [entry(f.templates[0] as string)],
      contacts: [{ email: "busy@list.example" }],
    });
    await sendSteps(s.scenarioId, [s.contactIds[0] as string], 1);
    const seg = await json("/api/v1/segments", {
      key: f.org.key,
      body: {
        name: "all",
        type: "dynamic",
        criteria: {
          logic: "and",
          conditions: [{ field: "email", operator: "contains", value: "@list.example" }],
        },
      },
      expect: 201,
    });
    await json(`/api/v1/scenarios/${s.scenarioId}/stop`, { key: f.org.key, method: "POST", expect: 200 });
    // quiet@ arrives after the scenario stopped: it has had no email.
    await json("/api/v1/contacts", { key: f.org.key, body: { email: "quiet@list.example" }, expect: 201 });
    const c = await json("/api/v1/campaigns", {
      key: f.org.key,
      body: {
        name: "Promo",
        from_email: "news@sender.example",
        template_id: f.templates[1],
        segment_ids: [seg.id],
      },
      expect: 201,
    });
    const dry = await json(`/api/v1/campaigns/${c.id}/dry-run`, {
      key: f.org.key,
      method: "POST",
      expect: 200,
    });
    expect(dry.would_send).toBe(1);
    expect(dry.excluded.frequency_cap).toBe(1);
    await json(`/api/v1/campaigns/${c.id}/send`, { key: f.org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    await drainSend(q);
    const sent = await messageIds("campaign_id", c.id);
    expect(sent).toHaveLength(1);

    // At send time too: a second scenario's step to busy@ is skipped with the reason.
    const busy = s.contactIds[0] as string;
    const b = await createScenario(f, { name: "Second", cooldown_days: null });
    await putSteps(f, b.id, [entry(f.templates[1] as string)]);
    await transition(f, b.id, "start");
    await drainEnroll(q);
    let row: Awaited<ReturnType<typeof ledgerOf>>[number] | undefined;
    for (let i = 0; i < 20 && !row; i++) {
      await fireAlarms(b.id, [busy]);
      await drainSend(q);
      row = (await ledgerOf(b.id)).find((r) => r.contact_id === busy && r.status !== "pending");
    }
    expect(row?.status).toBe("skipped");
    expect(row?.reason).toBe("frequency_cap: 1 email(s) in 7 day(s) already");
  });
});
