import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { resetClock, setClock } from "../../src/lib/clock";
import { REMINDER_PAGE_SIZE, runReminders } from "../../src/services/inbox/reminders";
import { json } from "../helpers/api";
import { countRows, createTeam, insertInteractions } from "../helpers/inbox";

const T0 = Date.parse("2026-06-15T09:00:00Z");

afterAll(() => resetClock());

describe("reminders at volume", () => {
  it("processes 10,000 overdue interactions in pages, each exactly once", async () => {
    setClock(T0);
    const team = await createTeam();
    const other = await createTeam();
    await insertInteractions(team.org.id, 7_000, {
      assignees: [team.ada.id, team.bob.id],
      dueBefore: T0,
      createdAt: T0 - 86_400_000,
    });
    await insertInteractions(other.org.id, 3_000, {
      assignees: [other.cy.id],
      dueBefore: T0,
      createdAt: T0 - 86_400_000,
    });
    // Noise the job must leave alone: unassigned and future rows.
    await insertInteractions(team.org.id, 500, {
      assignees: [null],
      dueBefore: T0,
      createdAt: T0,
      prefix: "unassigned",
    });
    await insertInteractions(team.org.id, 500, {
      assignees: [team.ada.id],
      dueBefore: T0 + 10_000_000,
      createdAt: T0,
      prefix: "future",
    });

    setClock(T0 + 60_000);
    // A run with a page budget stops part-way; the next run carries on where it stopped.
    const partial = await runReminders(env, { maxPages: 3 });
    expect(partial).toMatchObject({ pages: 3, claimed: 3 * REMINDER_PAGE_SIZE });
    const rest = await runReminders(env);
    expect(rest.claimed).toBe(10_000 - 3 * REMINDER_PAGE_SIZE);
    expect(rest.pages).toBe(Math.ceil((10_000 - 3 * REMINDER_PAGE_SIZE) / REMINDER_PAGE_SIZE));

    const stats = await env.DB.prepare(
      `SELECT count(*) AS n, count(DISTINCT interaction_id) AS distinct_ids FROM notifications
       WHERE organization_id IN (?, ?)`,
    )
      .bind(team.org.id, other.org.id)
      .first<{ n: number; distinct_ids: number }>();
    expect(stats).toEqual({ n: 10_000, distinct_ids: 10_000 });
    expect(
      await countRows(
        "SELECT count(*) AS n FROM notifications WHERE organization_id = ? AND user_id = ?",
        other.org.id,
        other.cy.id,
      ),
    ).toBe(3_000);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM interactions WHERE organization_id = ? AND notified_at IS NULL AND assignee_id IS NOT NULL AND next_action_at <= ?",
        team.org.id,
        T0 + 60_000,
      ),
    ).toBe(0);
    expect((await runReminders(env)).claimed).toBe(0);

    // The notifications are the users' to read, page by page.
    const ada = await json<{ unread: number; items: unknown[] }>("/api/v1/notifications?limit=200", {
      key: team.ada.key,
      expect: 200,
    });
    expect(ada.unread).toBe(3_500);
    expect(ada.items).toHaveLength(200);
  });

  it("reads the due rows from the partial index, not the whole table", async () => {
    const plan = await env.DB.prepare(
      `EXPLAIN QUERY PLAN SELECT i.id FROM interactions i
       WHERE i.notified_at IS NULL AND i.assignee_id IS NOT NULL AND i.status <> 'done' AND i.next_action_at <= ?1
       ORDER BY i.next_action_at LIMIT 500`,
    )
      .bind(T0)
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("\n")).toContain("interactions_reminder_due");
  });
});
