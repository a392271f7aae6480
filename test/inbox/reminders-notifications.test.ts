import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { resetClock, setClock } from "../../src/lib/clock";
import { runReminders } from "../../src/services/inbox/reminders";
import { call, json } from "../helpers/api";
import { createInteraction, createTeam, type TestTeam } from "../helpers/inbox";

const T0 = Date.parse("2026-06-15T09:00:00Z");
const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();

interface NotificationList {
  items: { id: string; interaction_id: string; title: string; read_at: string | null }[];
  unread: number;
  next_cursor: string | null;
}

let team: TestTeam;
beforeEach(async () => {
  setClock(T0);
  team = await createTeam();
});
afterAll(() => resetClock());

describe("GET /api/v1/notifications", () => {
  it("lists the key's user's reminders newest first, pages, and marks them read", async () => {
    for (let i = 0; i < 3; i++) {
      setClock(T0 + i * MIN);
      await createInteraction(team.org.key, {
        title: `n${i}`,
        assignee_id: team.ada.id,
        next_action_at: at(T0 + i * MIN),
      });
      await runReminders(env);
    }
    const p1 = await json<NotificationList>("/api/v1/notifications?limit=2", {
      key: team.ada.key,
      expect: 200,
    });
    expect(p1.items.map((n) => n.title)).toEqual(["Reminder: n2", "Reminder: n1"]);
    expect(p1.unread).toBe(3);
    const p2 = await json<NotificationList>(`/api/v1/notifications?limit=2&cursor=${p1.next_cursor}`, {
      key: team.ada.key,
    });
    expect(p2.items.map((n) => n.title)).toEqual(["Reminder: n0"]);

    const first = p1.items[0]?.id as string;
    // Bob cannot touch Ada's notification; another organization cannot either.
    expect(
      (await call(`/api/v1/notifications/${first}/read`, { method: "POST", key: team.bob.key })).status,
    ).toBe(404);
    const read = await json(`/api/v1/notifications/${first}/read`, {
      method: "POST",
      key: team.ada.key,
      expect: 200,
    });
    expect(read.read_at).toBe(at(T0 + 2 * MIN));
    const unread = await json<NotificationList>("/api/v1/notifications?unread=true", { key: team.ada.key });
    expect(unread.items.map((n) => n.title)).toEqual(["Reminder: n1", "Reminder: n0"]);
    expect(unread.unread).toBe(2);

    // The organization key reads a member's notifications with ?user_id=; without it, it has no "me".
    expect(
      (await json<NotificationList>(`/api/v1/notifications?user_id=${team.ada.id}`, { key: team.org.key }))
        .items,
    ).toHaveLength(3);
    expect((await call("/api/v1/notifications", { key: team.org.key })).status).toBe(400);
    const all = await json(`/api/v1/notifications/read-all?user_id=${team.ada.id}`, {
      method: "POST",
      key: team.org.key,
      expect: 200,
    });
    expect(all).toEqual({ marked: 2 });
    expect((await json<NotificationList>("/api/v1/notifications", { key: team.ada.key })).unread).toBe(0);

    const stranger = await createTeam();
    expect(
      (await call(`/api/v1/notifications?user_id=${team.ada.id}`, { key: stranger.org.key })).status,
    ).toBe(404);
    expect(
      (await call(`/api/v1/notifications/${first}/read`, { method: "POST", key: stranger.org.key })).status,
    ).toBe(404);
  });
});
