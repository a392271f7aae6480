import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { resetClock, setClock } from "../../src/lib/clock";
import { runReminders } from "../../src/services/inbox/reminders";
import { json } from "../helpers/api";
import { countRows, createInteraction, createTeam, type Interaction, type TestTeam } from "../helpers/inbox";

const T0 = Date.parse("2026-06-15T09:00:00Z");
const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();

interface NotificationList {
  items: {
    id: string;
    interaction_id: string;
    title: string;
    body: string;
    read_at: string | null;
    user_id: string;
  }[];
  unread: number;
  next_cursor: string | null;
}

const notificationsOf = (interactionId: string) =>
  countRows("SELECT count(*) AS n FROM notifications WHERE interaction_id = ?", interactionId);

let team: TestTeam;
beforeEach(async () => {
  setClock(T0);
  team = await createTeam();
});
afterAll(() => resetClock());

describe("the reminder job", () => {
  it("reminds only interactions that are not done, assigned, past due and not yet notified", async () => {
    const due = await createInteraction(team.org.key, {
      title: "Call Lea",
      assignee_id: team.ada.id,
      next_action_at: at(T0 + 10 * MIN),
    });
    const unassigned = await createInteraction(team.org.key, {
      title: "Nobody",
      next_action_at: at(T0 + MIN),
    });
    const done = await createInteraction(team.org.key, {
      title: "Done",
      status: "done",
      assignee_id: team.ada.id,
      next_action_at: at(T0 + MIN),
    });
    const future = await createInteraction(team.org.key, {
      title: "Later",
      assignee_id: team.ada.id,
      next_action_at: at(T0 + 60 * MIN),
    });
    const undated = await createInteraction(team.org.key, { title: "Undated", assignee_id: team.ada.id });

    setClock(T0 + 5 * MIN);
    expect((await runReminders(env)).claimed).toBe(0);

    setClock(T0 + 15 * MIN);
    const r = await runReminders(env);
    expect(r.claimed).toBe(1);
    for (const id of [unassigned.id, done.id, future.id, undated.id])
      expect(await notificationsOf(id)).toBe(0);
    expect(await notificationsOf(due.id)).toBe(1);

    const after = await json<Interaction>(`/api/v1/interactions/${due.id}`, { key: team.org.key });
    expect(after.notified_at).toBe(at(T0 + 15 * MIN));
    // The claim is not an edit: the version a client holds stays valid.
    expect(after.updated_at).toBe(due.updated_at);

    const list = await json<NotificationList>("/api/v1/notifications", { key: team.ada.key, expect: 200 });
    expect(list.unread).toBe(1);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      interaction_id: due.id,
      user_id: team.ada.id,
      title: "Reminder: Call Lea",
      read_at: null,
    });
    // Bob has none; another run produces nothing more.
    expect((await json<NotificationList>("/api/v1/notifications", { key: team.bob.key })).items).toEqual([]);
    setClock(T0 + 20 * MIN);
    expect((await runReminders(env)).claimed).toBe(0);
    expect(await notificationsOf(due.id)).toBe(1);
  });

  it("fires once when two runs overlap", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const who = i % 2 ? team.ada.id : team.bob.id;
      ids.push(
        (
          await createInteraction(team.org.key, {
            title: `t${i}`,
            assignee_id: who,
            next_action_at: at(T0 + i * 1000),
          })
        ).id,
      );
    }
    setClock(T0 + 10 * MIN);
    // Small pages so the two runs interleave page by page on the same rows.
    const [a, b, c] = await Promise.all([
      runReminders(env, { pageSize: 7 }),
      runReminders(env, { pageSize: 7 }),
      runReminders(env, { pageSize: 7 }),
    ]);
    expect(a.claimed + b.claimed + c.claimed).toBe(30);
    const counts = await env.DB.prepare(
      `SELECT interaction_id, count(*) AS n FROM notifications WHERE interaction_id IN (SELECT value FROM json_each(?)) GROUP BY interaction_id`,
    )
      .bind(JSON.stringify(ids))
      .all<{ n: number }>();
    expect(counts.results).toHaveLength(30);
    expect(counts.results.every((r) => r.n === 1)).toBe(true);
  });

  it("runs from the Cron Trigger (*/5) through the Worker's scheduled handler", async () => {
    const it0 = await createInteraction(team.org.key, {
      title: "From cron",
      assignee_id: team.bob.id,
      next_action_at: at(T0),
    });
    setClock(T0 + 5 * MIN);
    const controller = createScheduledController({ cron: "*/5 * * * *", scheduledTime: T0 + 5 * MIN });
    const ctx = createExecutionContext();
    // Two overlapping invocations of the Worker's own scheduled handler (cron dispatch included).
    await Promise.all([worker.scheduled(controller, env, ctx), worker.scheduled(controller, env, ctx)]);
    await waitOnExecutionContext(ctx);
    expect(await notificationsOf(it0.id)).toBe(1);
  });

  it("is re-armed when the next action changes, and when the assignee changes", async () => {
    const it0 = await createInteraction(team.org.key, {
      title: "Follow up",
      assignee_id: team.ada.id,
      next_action_at: at(T0),
    });
    setClock(T0 + MIN);
    await runReminders(env);
    expect(await notificationsOf(it0.id)).toBe(1);

    // Snoozed by a day: notified_at clears, nothing fires before the new time, one fires after.
    const snoozed = await json<Interaction>(`/api/v1/interactions/${it0.id}/next-action`, {
      method: "PATCH",
      key: team.ada.key,
      body: { next_action_at: at(T0 + 24 * 60 * MIN) },
      expect: 200,
    });
    expect(snoozed.notified_at).toBeNull();
    await runReminders(env);
    expect(await notificationsOf(it0.id)).toBe(1);
    setClock(T0 + 24 * 60 * MIN + MIN);
    await runReminders(env);
    expect(await notificationsOf(it0.id)).toBe(2);
    await runReminders(env);
    expect(await notificationsOf(it0.id)).toBe(2);

    // Handed to Bob: he has not been told yet, so he gets one; re-assigning to Bob again does not.
    await json(`/api/v1/interactions/${it0.id}/assignee`, {
      method: "PATCH",
      key: team.org.key,
      body: { assignee_id: team.bob.id },
      expect: 200,
    });
    await runReminders(env);
    expect(await notificationsOf(it0.id)).toBe(3);
    const same = await json<Interaction>(`/api/v1/interactions/${it0.id}/assignee`, {
      method: "PATCH",
      key: team.org.key,
      body: { assignee_id: team.bob.id },
      expect: 200,
    });
    expect(same.notified_at).not.toBeNull();
    const bobs = await json<NotificationList>("/api/v1/notifications", { key: team.bob.key });
    expect(bobs.items.map((n) => n.interaction_id)).toEqual([it0.id]);

    // Done interactions are never reminded, even when re-armed.
    await json(`/api/v1/interactions/${it0.id}/status`, {
      method: "PATCH",
      key: team.org.key,
      body: { status: "done" },
      expect: 200,
    });
    await json(`/api/v1/interactions/${it0.id}/next-action`, {
      method: "PATCH",
      key: team.org.key,
      body: { next_action_at: at(T0) },
      expect: 200,
    });
    await runReminders(env);
    expect(await notificationsOf(it0.id)).toBe(3);
  });

  it("queues one email per reminder through the send ledger when the organization enables it", async () => {
    const contact = await json("/api/v1/contacts", {
      key: team.org.key,
      body: { email: "lead@acme.test" },
      expect: 201,
    });
    await json("/api/v1/settings/reminders", {
      method: "PUT",
      key: team.org.key,
      body: { email: true },
      expect: 200,
    });
    const it0 = await createInteraction(team.org.key, {
      title: "Send {{ contact.email }} the <b>quote</b>",
      body: "Ask about {% raw %}",
      contact_id: contact.id,
      assignee_id: team.ada.id,
      next_action_at: at(T0),
    });
    setClock(T0 + MIN);
    await Promise.all([runReminders(env), runReminders(env)]);
    const rows = await env.DB.prepare("SELECT * FROM operation_ledger WHERE organization_id = ?")
      .bind(team.org.id)
      .all<{ contact_id: string | null; status: string; kind: string; payload: string }>();
    expect(rows.results).toHaveLength(1);
    const row = rows.results[0] as {
      contact_id: string | null;
      status: string;
      kind: string;
      payload: string;
    };
    expect(row).toMatchObject({ contact_id: contact.id, kind: "send" });
    const payload = JSON.parse(row.payload);
    expect(payload).toMatchObject({
      to_email: team.ada.email,
      transactional: true,
      source: { interaction_id: it0.id },
    });
    // User text stays literal for the Liquid renderer and is escaped in the HTML.
    expect(payload.subject).not.toContain("{{");
    expect(payload.html).toContain("&lt;b&gt;quote&lt;/b&gt;");
    expect(payload.text).not.toContain("{%");

    // Re-armed: a second email; the same arming never mails twice.
    await json(`/api/v1/interactions/${it0.id}/next-action`, {
      method: "PATCH",
      key: team.org.key,
      body: { next_action_at: at(T0 + MIN) },
      expect: 200,
    });
    await runReminders(env);
    await runReminders(env);
    expect(
      await countRows("SELECT count(*) AS n FROM operation_ledger WHERE organization_id = ?", team.org.id),
    ).toBe(2);

    // Turned off: notification only.
    await json("/api/v1/settings/reminders", {
      method: "PUT",
      key: team.org.key,
      body: { email: false },
      expect: 200,
    });
    await createInteraction(team.org.key, {
      title: "quiet",
      assignee_id: team.ada.id,
      next_action_at: at(T0),
    });
    await runReminders(env);
    expect(
      await countRows("SELECT count(*) AS n FROM operation_ledger WHERE organization_id = ?", team.org.id),
    ).toBe(2);
  });
});
