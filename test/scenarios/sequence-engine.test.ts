import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { json } from "../helpers/api";
import {
  child,
  createContact,
  drainEnroll,
  drainSend,
  entry,
  fireAlarms,
  fixture,
  ledgerOf,
  putSteps,
  runningScenario,
  sentMessages,
  useScenarioQueues,
  stateOf,
} from "../helpers/scenario";
import { emailHash } from "../../src/services/suppressions/store";

const q = useScenarioQueues();
const Z = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("SequenceDO: planning a due step", () => {
  it("sends at the window in the contact's zone (else the scenario's), and moves on from the send", async () => {
    const T0 = Z("2031-01-06T06:00:00Z"); // Monday 07:00 in Paris
    setClock(T0);
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      settings: {
        timezone: "Europe/Paris",
        send_window_start: "09:00",
        send_window_end: "17:00",
        send_days: ["mon", "tue", "wed", "thu", "fri"],
      },
      steps: [entry(a), child(2, "delay", 1, b, { delay_days: 1 })],
      contacts: [{ email: "ada@example.com" }, { email: "bob@example.com", timezone: "America/New_York" }],
    });
    const [ada, bob] = contactIds as [string, string];
    const seqs = await json(`/api/v1/scenarios/${scenarioId}/sequences`, { key: f.org.key });
    const next = Object.fromEntries(
      seqs.items.map((i: { contact_id: string; next_run_at: string }) => [i.contact_id, i.next_run_at]),
    );
    expect(next).toEqual({ [ada]: "2031-01-06T08:00:00.000Z", [bob]: "2031-01-06T14:00:00.000Z" });

    setClock(Z("2031-01-06T08:00:00Z"));
    expect(await fireAlarms(scenarioId, [ada, bob])).toBe(2);
    // Bob's alarm ran early (09:00 New York is later): nothing for him, his alarm is armed again.
    expect(
      (await ledgerOf(scenarioId)).map((r) => [r.contact_id, r.step_order, r.status, r.template_id]),
    ).toEqual([[ada, 1, "pending", a]]);
    expect(q.send.messages).toHaveLength(1);
    await drainSend(q);
    expect((await ledgerOf(scenarioId)).map((r) => r.status)).toEqual(["executed"]);
    expect(await sentMessages(scenarioId)).toEqual([
      { contact_id: ada, step_order: 1, variant_name: "default", status: "sent" },
    ]);

    const state = await stateOf(scenarioId, ada);
    expect(state?.runs.map((r) => [r.step_order, r.status, iso(r.run_at)])).toEqual([
      [1, "executed", "2031-01-06T08:00:00.000Z"],
      [2, "scheduled", "2031-01-07T08:00:00.000Z"],
    ]);
    const detail = await json(`/api/v1/scenarios/${scenarioId}`, { key: f.org.key });
    expect(detail.steps[0]).toMatchObject({ sent: 1, opened: 0, open_rate: 0 });
    const after = await json(`/api/v1/scenarios/${scenarioId}/sequences`, { key: f.org.key });
    expect(after.items.find((i: { contact_id: string }) => i.contact_id === ada)).toMatchObject({
      current_step_order: 1,
      next_run_at: "2031-01-07T08:00:00.000Z",
    });

    setClock(Z("2031-01-06T14:00:00Z"));
    expect(await fireAlarms(scenarioId, [bob])).toBe(1);
    await drainSend(q);
    setClock(Z("2031-01-07T08:00:00Z"));
    await fireAlarms(scenarioId, [ada]);
    await drainSend(q);
    expect((await ledgerOf(scenarioId)).map((r) => [r.contact_id, r.step_order, r.status])).toEqual(
      [
        [ada, 1, "executed"],
        [ada, 2, "executed"],
        [bob, 1, "executed"],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  it("the daily cap is an atomic counter per scenario and local day; over it, a step moves to the next day", async () => {
    const T0 = Z("2031-01-06T14:00:00Z"); // 09:00 in New York
    setClock(T0);
    const f = await fixture(1);
    const contacts = Array.from({ length: 5 }, (_, i) => ({ email: `c${i}@example.com` }));
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      settings: {
        daily_cap: 2,
        timezone: "America/New_York",
        send_window_start: "08:00",
        send_window_end: "20:00",
      },
      steps: [entry(f.templates[0] as string)],
      contacts,
    });
    await fireAlarms(scenarioId, contactIds);
    expect(await ledgerOf(scenarioId)).toHaveLength(2);
    const counter = await env.DB.prepare(
      "SELECT day, count FROM scenario_daily_counters WHERE scenario_id = ?",
    )
      .bind(scenarioId)
      .all();
    expect(counter.results).toEqual([{ day: "2031-01-06", count: 2 }]);
    const capped = [];
    for (const c of contactIds) {
      const run = (await stateOf(scenarioId, c))?.runs[0];
      if (run?.status === "scheduled") capped.push(run);
    }
    expect(capped).toHaveLength(3);
    // Next day in New York, at the window's start (08:00 EST = 13:00Z).
    for (const run of capped)
      expect(run.moves.at(-1)).toMatchObject({ reason: "cap", to: Z("2031-01-07T13:00:00Z") });

    setClock(Z("2031-01-07T13:00:00Z"));
    await fireAlarms(scenarioId, contactIds);
    expect(await ledgerOf(scenarioId)).toHaveLength(4);
    setClock(Z("2031-01-08T13:00:00Z"));
    await fireAlarms(scenarioId, contactIds);
    const rows = await ledgerOf(scenarioId);
    expect(new Set(rows.map((r) => r.contact_id)).size).toBe(5);
    expect(rows).toHaveLength(5);
  });

  it("the cooldown holds across scenarios: no marketing email to the contact within cooldown_days", async () => {
    const T0 = Z("2031-01-06T10:00:00Z");
    setClock(T0);
    const f = await fixture(1);
    const [t] = f.templates as [string];
    const ada = await createContact(f, { email: "ada@example.com" });
    const start = async (name: string) => {
      const s = await json(`/api/v1/scenarios`, {
        key: f.org.key,
        body: { name, from_email: "n@sender.example", cooldown_days: 2 },
        expect: 201,
      });
      await putSteps(f, s.id, [entry(t)]);
      await json(`/api/v1/scenarios/${s.id}/start`, { key: f.org.key, method: "POST", expect: 200 });
      return s.id as string;
    };
    const first = await start("A");
    const second = await start("B");
    await drainEnroll(q);
    await fireAlarms(first, [ada.id]);
    await drainSend(q);
    setClock(T0 + HOUR);
    await fireAlarms(second, [ada.id]);
    expect(await ledgerOf(second)).toEqual([]);
    const run = (await stateOf(second, ada.id))?.runs[0];
    expect(run?.moves.at(-1)).toMatchObject({ reason: "cooldown", to: T0 + 2 * DAY });
    setClock(T0 + 2 * DAY);
    await fireAlarms(second, [ada.id]);
    expect((await ledgerOf(second)).map((r) => r.status)).toEqual(["pending"]);
  });

  it("a running sequence keeps its steps version; a contact enrolled after the edit gets the new one", async () => {
    setClock(Z("2031-01-06T10:00:00Z"));
    const f = await fixture(3);
    const [a, b, c] = f.templates as [string, string, string];
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      steps: [entry(a), child(2, "delay", 1, b, { delay_hours: 1 })],
    });
    const [ada] = contactIds as [string];
    await fireAlarms(scenarioId, [ada]);
    await drainSend(q);
    await putSteps(f, scenarioId, [entry(c), child(2, "delay", 1, c, { delay_hours: 1 })]);
    const zed = await createContact(f, { email: "zed@example.com" });
    await drainEnroll(q);
    setClock(Z("2031-01-06T11:00:00Z"));
    await fireAlarms(scenarioId, [ada, zed.id]);
    const rows = await ledgerOf(scenarioId);
    expect(rows.filter((r) => r.contact_id === ada).map((r) => r.template_id)).toEqual([a, b]);
    expect(rows.filter((r) => r.contact_id === zed.id).map((r) => r.template_id)).toEqual([c]);
    const seqs = await json(`/api/v1/scenarios/${scenarioId}/sequences`, { key: f.org.key });
    expect(
      Object.fromEntries(
        seqs.items.map((i: { contact_id: string; steps_version: number }) => [i.contact_id, i.steps_version]),
      ),
    ).toEqual({
      [ada]: 1,
      [zed.id]: 2,
    });
  });

  it("consent is checked again when a step falls due: unsubscribed or suppressed contacts are never sent", async () => {
    setClock(Z("2031-01-06T10:00:00Z"));
    const f = await fixture(1);
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      steps: [entry(f.templates[0] as string)],
      contacts: [{ email: "leaving@example.com" }, { email: "suppressed@example.com" }],
    });
    const [leaving, suppressed] = contactIds as [string, string];
    await json(`/api/v1/contacts/${leaving}`, {
      key: f.org.key,
      method: "PATCH",
      body: { status: "unsubscribed" },
      expect: 200,
    });
    await env.DB.prepare(
      "INSERT INTO suppressions (id, organization_id, email_hash, reason, created_at) VALUES ('sup_t', ?, ?, 'manual', 0)",
    )
      .bind(f.org.id, await emailHash("suppressed@example.com"))
      .run();
    await fireAlarms(scenarioId, contactIds);
    expect(await ledgerOf(scenarioId)).toEqual([]);
    const seqs = await json(`/api/v1/scenarios/${scenarioId}/sequences`, { key: f.org.key });
    expect(
      Object.fromEntries(
        seqs.items.map((i: { contact_id: string; status: string; stop_reason: string }) => [
          i.contact_id,
          [i.status, i.stop_reason],
        ]),
      ),
    ).toEqual({
      [leaving]: ["stopped", "contact_unsubscribed"],
      [suppressed]: ["stopped", "suppressed"],
    });
    const run = (await stateOf(scenarioId, leaving))?.runs[0];
    expect(run).toMatchObject({ status: "skipped", reason: "contact_unsubscribed" });
  });

  it("facts changed since the sequence last looked: a claim taken on the old ones is given back", async () => {
    setClock(Z("2031-01-06T08:00:00Z")); // 09:00 in Paris, 03:00 in New York
    const f = await fixture(1);
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      settings: {
        timezone: "Europe/Paris",
        send_window_start: "09:00",
        send_window_end: "17:00",
        daily_cap: 10,
        cooldown_days: 1,
      },
      steps: [entry(f.templates[0] as string)],
    });
    const [ada] = contactIds as [string];
    // The contact moved to New York after enrolling: the sequence still holds the Paris zone.
    await json(`/api/v1/contacts/${ada}`, {
      key: f.org.key,
      method: "PATCH",
      body: { timezone: "America/New_York" },
      expect: 200,
    });
    await fireAlarms(scenarioId, [ada]);
    expect(await ledgerOf(scenarioId)).toEqual([]);
    const contact = await env.DB.prepare("SELECT last_sent_at FROM contacts WHERE id = ?").bind(ada).first();
    expect(contact).toEqual({ last_sent_at: null });
    const counter = await env.DB.prepare(
      "SELECT coalesce(sum(count), 0) AS n FROM scenario_daily_counters WHERE scenario_id = ?",
    )
      .bind(scenarioId)
      .first();
    expect(counter).toEqual({ n: 0 });
    const run = (await stateOf(scenarioId, ada))?.runs[0];
    expect(run).toMatchObject({ status: "scheduled", run_at: Z("2031-01-06T14:00:00Z") });
    expect(run?.moves.at(-1)).toMatchObject({ reason: "window" });
  });

  it("across the spring DST change, the next step keeps its local hour (Paris and New York contacts)", async () => {
    setClock(Z("2031-03-28T16:30:00Z")); // Friday 17:30 in Paris: past the window
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      settings: {
        timezone: "Europe/Paris",
        send_window_start: "09:00",
        send_window_end: "17:00",
        send_days: ["mon", "tue", "wed", "thu", "fri"],
      },
      steps: [entry(a), child(2, "delay", 1, b, { delay_days: 1 })],
      contacts: [{ email: "paris@example.com" }, { email: "ny@example.com", timezone: "America/New_York" }],
    });
    const [paris, ny] = contactIds as [string, string];
    const nextRun = async () => {
      const seqs = await json(`/api/v1/scenarios/${scenarioId}/sequences`, { key: f.org.key });
      return Object.fromEntries(
        seqs.items.map((i: { contact_id: string; next_run_at: string }) => [i.contact_id, i.next_run_at]),
      );
    };
    // Paris: Monday 09:00 CEST (UTC+2). New York: Friday 13:30 EDT is inside its window already.
    expect(await nextRun()).toEqual({
      [paris]: "2031-03-31T07:00:00.000Z",
      [ny]: "2031-03-28T16:30:00.000Z",
    });
    await fireAlarms(scenarioId, [ny]);
    await drainSend(q);
    // A day later is Saturday: the next allowed day is Monday, 09:00 EDT.
    expect((await nextRun())[ny]).toBe("2031-03-31T13:00:00.000Z");
  });
});
