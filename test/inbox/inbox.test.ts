import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetClock, setClock } from "../../src/lib/clock";
import { call, createOrg, json, type TestOrg } from "../helpers/api";
import { createInteraction, createTeam, inbox, inboxTitles, type TestTeam } from "../helpers/inbox";

const T0 = Date.parse("2026-06-15T09:00:00Z");
const H = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();

describe("GET /api/v1/inbox filters and order", () => {
  let team: TestTeam;
  let other: TestOrg;

  beforeAll(async () => {
    team = await createTeam();
    other = await createOrg();
    const contact = await json("/api/v1/contacts", {
      key: team.org.key,
      body: { email: "lead@acme.test", first_name: "Lea" },
      expect: 201,
    });
    // Created one minute apart so created_at orders them; next actions chosen to exercise the sort.
    const rows: [string, Record<string, unknown>][] = [
      ["ada-overdue", { assignee_id: team.ada.id, next_action_at: at(T0 - 2 * H), contact_id: contact.id }],
      ["ada-later", { assignee_id: team.ada.id, next_action_at: at(T0 + 30 * H) }],
      ["ada-none-old", { assignee_id: team.ada.id }],
      ["ada-none-new", { assignee_id: team.ada.id }],
      ["ada-done", { assignee_id: team.ada.id, status: "done", next_action_at: at(T0 - H) }],
      ["ada-progress", { assignee_id: team.ada.id, status: "in_progress", next_action_at: at(T0 + 30 * H) }],
      ["bob-soon", { assignee_id: team.bob.id, next_action_at: at(T0 + H) }],
      ["nobody", { next_action_at: at(T0 - 5 * H) }],
    ];
    for (const [i, [title, body]] of rows.entries()) {
      setClock(T0 - 60 * 60_000 + i * 60_000);
      await createInteraction(team.org.key, { title, ...body });
    }
    await createInteraction(other.key, { title: "other-org" });
    setClock(T0);
  });
  afterAll(() => resetClock());

  it("sorts next_action_at ascending, nulls last, then created_at descending; done hidden by default", async () => {
    const page = await inbox(team.org.key);
    expect(page.items.map((i) => i.title)).toEqual([
      "nobody",
      "ada-overdue",
      "bob-soon",
      "ada-progress", // same next action as ada-later, created later -> first
      "ada-later",
      "ada-none-new",
      "ada-none-old",
    ]);
    expect(page).toMatchObject({ total: 7, limit: 50, next_cursor: null });
    expect(page.items[1]?.contact).toMatchObject({ email: "lead@acme.test", first_name: "Lea" });
  });

  it("filters by assignee: me, a team member id, unassigned", async () => {
    expect(await inboxTitles(team.bob.key, "assignee=me")).toEqual(["bob-soon"]);
    expect(await inboxTitles(team.org.key, `assignee=${team.bob.id}`)).toEqual(["bob-soon"]);
    expect(await inboxTitles(team.org.key, "assignee=unassigned")).toEqual(["nobody"]);
    expect((await inbox(team.ada.key, "assignee=me")).total).toBe(5);
    expect(await inboxTitles(team.cy.key, "assignee=me")).toEqual([]);
  });

  it("filters by status (one, several, all)", async () => {
    expect(await inboxTitles(team.org.key, "status=done")).toEqual(["ada-done"]);
    expect(await inboxTitles(team.org.key, "status=in_progress")).toEqual(["ada-progress"]);
    expect((await inbox(team.org.key, "status=todo,done")).total).toBe(7);
    expect((await inbox(team.org.key, "status=all")).total).toBe(8);
    expect(await inboxTitles(team.ada.key, "assignee=me&status=done&due=overdue")).toEqual(["ada-done"]);
  });

  it("filters by due=overdue", async () => {
    expect(await inboxTitles(team.org.key, "due=overdue")).toEqual(["nobody", "ada-overdue"]);
  });

  it("answers 400 for a bad query and 404 for another organization's team member", async () => {
    for (const q of [
      "status=closed",
      "due=yesterday",
      "limit=0",
      "limit=201",
      "cursor=%%%",
      "timezone=Mars/Olympus",
    ]) {
      const res = await call(`/api/v1/inbox?${q}`, { key: team.org.key });
      expect(res.status, q).toBe(400);
    }
    // A cursor from another list is not an inbox cursor.
    const users = await json("/api/v1/users?limit=1", { key: team.org.key });
    expect((await call(`/api/v1/inbox?cursor=${users.next_cursor}`, { key: team.org.key })).status).toBe(400);
    // An API key bound to nobody has no "me".
    expect((await call("/api/v1/inbox?assignee=me", { key: team.org.key })).status).toBe(400);
    const foreign = await json("/api/v1/users", {
      key: other.key,
      body: { name: "Eve", email: "eve@other.test" },
      expect: 201,
    });
    expect((await call(`/api/v1/inbox?assignee=${foreign.id}`, { key: team.org.key })).status).toBe(404);
    expect((await call("/api/v1/inbox")).status).toBe(401);
  });

  it("another organization sees none of it", async () => {
    expect(await inboxTitles(other.key, "status=all")).toEqual(["other-org"]);
  });
});

describe("inbox pagination", () => {
  it("pages with a cursor and stays stable while rows change", async () => {
    setClock(T0);
    const team = await createTeam();
    const titles: string[] = [];
    // 10 items: 7 with distinct next actions, 3 without; created a minute apart.
    for (let i = 0; i < 10; i++) {
      setClock(T0 + i * 60_000);
      const title = `item-${i}`;
      titles.push(title);
      await createInteraction(team.org.key, { title, next_action_at: i < 7 ? at(T0 + (10 - i) * H) : null });
    }
    setClock(T0 + H);
    const expected = await inboxTitles(team.org.key, "limit=200");
    expect(expected).toEqual([
      "item-6",
      "item-5",
      "item-4",
      "item-3",
      "item-2",
      "item-1",
      "item-0",
      "item-9",
      "item-8",
      "item-7",
    ]);

    const p1 = await inbox(team.org.key, "limit=4");
    expect(p1.items.map((i) => i.title)).toEqual(expected.slice(0, 4));
    expect(p1.total).toBe(10);
    expect(p1.next_cursor).toBeTruthy();

    // While the user reads page 1: two items of page 1 and one of page 2 are done, a new item
    // lands before the cursor (due earliest) and one after it (no next action, newest). An offset
    // pager would now skip item-2; the keyset cursor does not.
    const item1 = (await inbox(team.org.key, "limit=200")).items[5];
    expect(item1?.title).toBe("item-1");
    await json("/api/v1/interactions/bulk", {
      key: team.org.key,
      body: { action: "mark_done", ids: [p1.items[0]?.id, p1.items[1]?.id, item1?.id] },
      expect: 200,
    });
    await createInteraction(team.org.key, { title: "new-earliest", next_action_at: at(T0) });
    await createInteraction(team.org.key, { title: "new-no-date" });

    const p2 = await inbox(team.org.key, `limit=4&cursor=${p1.next_cursor}`);
    const p3 = await inbox(team.org.key, `limit=4&cursor=${p2.next_cursor}`);
    expect(p3.next_cursor).toBeNull();
    const seen = [...p1.items, ...p2.items, ...p3.items].map((i) => i.title);
    // Nothing repeats, nothing untouched is skipped, and order holds across pages.
    expect(new Set(seen).size).toBe(seen.length);
    expect(p2.items.map((i) => i.title)).toEqual(["item-2", "item-0", "new-no-date", "item-9"]);
    expect(p3.items.map((i) => i.title)).toEqual(["item-8", "item-7"]);
    expect(p2.total).toBe(9); // 10 - 3 done + 2 new
  });
});

describe("CSV exports", () => {
  it("exports the filtered inbox, every page, with formula-injection guarded", async () => {
    setClock(T0);
    const team = await createTeam();
    const contact = await json("/api/v1/contacts", {
      key: team.org.key,
      body: { email: "csv@acme.test", first_name: "Cé", last_name: "Sv" },
      expect: 201,
    });
    await createInteraction(team.org.key, {
      title: '=HYPERLINK("x"), "quoted"',
      contact_id: contact.id,
      assignee_id: team.ada.id,
      next_action_at: at(T0 - H),
    });
    await createInteraction(team.org.key, { title: "plain", assignee_id: team.bob.id });
    await createInteraction(team.org.key, { title: "finished", status: "done" });
    const res = await call("/api/v1/exports/inbox.csv", { key: team.org.key });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    expect(res.headers.get("Content-Disposition")).toContain("inbox-2026-06-15.csv");
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "id,type,status,title,body,contact_id,contact_email,contact_name,assignee_id,assignee_name,assignee_email,next_action_at,notified_at,created_at,updated_at",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(
      `,"'=HYPERLINK(""x""), ""quoted""",,${contact.id},csv@acme.test,Cé Sv,${team.ada.id},Ada,${team.ada.email},2026-06-15T08:00:00.000Z,`,
    );
    expect(lines[2]).toContain(",plain,");

    const mine = await (
      await call("/api/v1/exports/inbox.csv?assignee=me&status=all", { key: team.bob.key })
    ).text();
    expect(mine.trimEnd().split("\r\n")).toHaveLength(2);
    expect((await call("/api/v1/exports/inbox.csv?due=never", { key: team.org.key })).status).toBe(400);
  });

  it("streams an inbox larger than one internal page", async () => {
    const team = await createTeam();
    const { insertInteractions } = await import("../helpers/inbox");
    await insertInteractions(team.org.id, 1234, { assignees: [null], dueBefore: T0, createdAt: T0 });
    const text = await (await call("/api/v1/exports/inbox.csv", { key: team.org.key })).text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines).toHaveLength(1235);
    expect(new Set(lines).size).toBe(1235);
  });

  it("exports hot leads by score, highest first, at or above the threshold", async () => {
    const org = await createOrg();
    const scores = [5, 40, 15, 90, 14];
    for (const [i, score] of scores.entries()) {
      const c = await json("/api/v1/contacts", {
        key: org.key,
        body: { email: `lead${i}@hot.test` },
        expect: 201,
      });
      await (await import("cloudflare:workers")).env.DB.prepare("UPDATE contacts SET score = ? WHERE id = ?")
        .bind(score, c.id)
        .run();
    }
    const res = await call("/api/v1/exports/hot-leads.csv", { key: org.key });
    expect(res.status).toBe(200);
    const rows = (await res.text()).trimEnd().split("\r\n");
    expect(rows[0]).toBe("contact_id,email,first_name,last_name,score,status,last_event_at");
    expect(rows.slice(1).map((r) => r.split(",")[4])).toEqual(["90", "40", "15"]);
    const all = (await (await call("/api/v1/exports/hot-leads.csv?threshold=0", { key: org.key })).text())
      .trimEnd()
      .split("\r\n");
    expect(all).toHaveLength(6);
    expect((await call("/api/v1/exports/hot-leads.csv?threshold=-1", { key: org.key })).status).toBe(400);
  });
});

describe("OpenAPI", () => {
  it("documents the inbox routes", async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>("/openapi.json", {
      expect: 200,
    });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/inbox",
        "/api/v1/interactions",
        "/api/v1/interactions/bulk",
        "/api/v1/interactions/{id}",
        "/api/v1/interactions/{id}/status",
        "/api/v1/interactions/{id}/assignee",
        "/api/v1/interactions/{id}/next-action",
        "/api/v1/notifications",
        "/api/v1/notifications/{id}/read",
        "/api/v1/notifications/read-all",
        "/api/v1/settings/reminders",
        "/api/v1/exports/inbox.csv",
        "/api/v1/exports/hot-leads.csv",
      ]),
    );
    expect(doc.paths["/api/v1/interactions/{id}/status"]?.patch).toBeDefined();
  });
});
