import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetClock, setClock } from "../../src/lib/clock";
import { call, createOrg, json, type TestOrg } from "../helpers/api";
import { createInteraction, createTeam, type Interaction, type TestTeam } from "../helpers/inbox";

const T0 = Date.parse("2026-06-15T09:00:00Z");
let team: TestTeam;
let other: TestOrg;
let contactId: string;
let otherContactId: string;

beforeAll(async () => {
  setClock(T0);
  team = await createTeam();
  other = await createOrg();
  contactId = (
    await json("/api/v1/contacts", { key: team.org.key, body: { email: "lead@acme.test" }, expect: 201 })
  ).id;
  otherContactId = (
    await json("/api/v1/contacts", { key: other.key, body: { email: "x@other.test" }, expect: 201 })
  ).id;
});
afterEach(() => setClock(T0));
afterAll(() => resetClock());

const patch = (
  id: string,
  what: string,
  body: unknown,
  headers: Record<string, string> = {},
  key = team.org.key,
) => call(`/api/v1/interactions/${id}/${what}`, { method: "PATCH", key, body, headers });

describe("POST /api/v1/interactions", () => {
  it("creates an interaction with every field and answers it with its ETag", async () => {
    const res = await call("/api/v1/interactions", {
      key: team.org.key,
      body: {
        type: "call",
        title: "Call back about pricing",
        body: "Asked for the annual plan",
        contact_id: contactId,
        assignee_id: team.ada.id,
        next_action_at: "2026-06-16T10:00:00+02:00",
      },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Interaction;
    expect(created).toMatchObject({
      type: "call",
      title: "Call back about pricing",
      contact_id: contactId,
      status: "todo",
      assignee_id: team.ada.id,
      next_action_at: "2026-06-16T08:00:00.000Z",
      notified_at: null,
      created_at: "2026-06-15T09:00:00.000Z",
    });
    expect(res.headers.get("ETag")).toBe(`"${Date.parse(created.updated_at)}"`);
    const got = await json<Interaction>(`/api/v1/interactions/${created.id}`, {
      key: team.org.key,
      expect: 200,
    });
    expect(got).toEqual(created);
  });

  it('"me" is the team member the key is bound to', async () => {
    const mine = await createInteraction(team.bob.key, { title: "Mine", assignee_id: "me" });
    expect(mine.assignee_id).toBe(team.bob.id);
    const res = await call("/api/v1/interactions", {
      key: team.org.key,
      body: { type: "task", title: "x", assignee_id: "me" },
    });
    expect(res.status).toBe(422);
  });

  it("refuses invalid input with 422 naming the fields, never a 500", async () => {
    const bad = await json("/api/v1/interactions", {
      key: team.org.key,
      body: { type: "fax", title: "" },
      expect: 422,
    });
    expect(bad.error.code).toBe("VALIDATION_ERROR");
    expect(bad.error.details.map((d: { field: string }) => d.field).sort()).toEqual(["title", "type"]);
    const date = await json("/api/v1/interactions", {
      key: team.org.key,
      body: { type: "task", title: "t", next_action_at: "tomorrow" },
      expect: 422,
    });
    expect(date.error.details[0].field).toBe("next_action_at");
    const malformed = await call("/api/v1/interactions", {
      key: team.org.key,
      raw: "{nope",
      contentType: "application/json",
    });
    expect(malformed.status).toBe(400);
  });

  it("refuses another organization's contact or team member (422) without revealing them", async () => {
    const c = await json("/api/v1/interactions", {
      key: team.org.key,
      body: { type: "task", title: "t", contact_id: otherContactId },
      expect: 422,
    });
    expect(c.error.details).toEqual([
      { field: "contact_id", message: "does not exist in this organization" },
    ]);
    const otherUser = await json("/api/v1/users", {
      key: other.key,
      body: { name: "Eve", email: "eve@other.test" },
      expect: 201,
    });
    const u = await json("/api/v1/interactions", {
      key: team.org.key,
      body: { type: "task", title: "t", assignee_id: otherUser.id },
      expect: 422,
    });
    expect(u.error.details[0].field).toBe("assignee_id");
  });

  it("another organization's interaction is a 404 for reads and writes", async () => {
    const mine = await createInteraction(team.org.key, { title: "private" });
    expect((await call(`/api/v1/interactions/${mine.id}`, { key: other.key })).status).toBe(404);
    expect((await patch(mine.id, "status", { status: "done" }, {}, other.key)).status).toBe(404);
    const after = await json<Interaction>(`/api/v1/interactions/${mine.id}`, {
      key: team.org.key,
      expect: 200,
    });
    expect(after.status).toBe("todo");
  });
});

describe("PATCH quick updates", () => {
  it("changes status, assignee and next action", async () => {
    const it0 = await createInteraction(team.org.key, { title: "Quick" });
    const s = (await (await patch(it0.id, "status", { status: "in_progress" })).json()) as Interaction;
    expect(s.status).toBe("in_progress");
    const a = (await (await patch(it0.id, "assignee", { assignee_id: team.bob.id })).json()) as Interaction;
    expect(a.assignee_id).toBe(team.bob.id);
    const n = (await (
      await patch(it0.id, "next-action", { next_action_at: "2026-06-20T12:00:00Z" })
    ).json()) as Interaction;
    expect(n.next_action_at).toBe("2026-06-20T12:00:00.000Z");
    const cleared = (await (
      await patch(it0.id, "next-action", { next_action_at: null })
    ).json()) as Interaction;
    expect(cleared.next_action_at).toBeNull();
    const un = (await (await patch(it0.id, "assignee", { assignee_id: null })).json()) as Interaction;
    expect(un.assignee_id).toBeNull();
    expect((await patch(it0.id, "status", { status: "closed" })).status).toBe(422);
    expect((await patch(it0.id, "assignee", { assignee_id: "usr_nope" })).status).toBe(422);
    expect((await patch("int_missing", "status", { status: "done" })).status).toBe(404);
  });

  it("a stale If-Match answers 409 STALE_WRITE, even when both writes fall in the same millisecond", async () => {
    const it0 = await createInteraction(team.org.key, { title: "Contended" });
    const first = await call(`/api/v1/interactions/${it0.id}`, { key: team.org.key });
    const etag = first.headers.get("ETag") as string;
    // Two people read the same version; the first write wins (the clock is pinned: same ms).
    const ok = await patch(it0.id, "status", { status: "in_progress" }, { "If-Match": etag });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ETag")).not.toBe(etag);
    const stale = await patch(it0.id, "assignee", { assignee_id: team.ada.id }, { "If-Match": etag });
    expect(stale.status).toBe(409);
    const body = (await stale.json()) as { error: { code: string } };
    expect(body.error.code).toBe("STALE_WRITE");
    const now = await json<Interaction>(`/api/v1/interactions/${it0.id}`, { key: team.org.key, expect: 200 });
    expect(now.assignee_id).toBeNull();
    // Retrying with the current version succeeds.
    const retry = await patch(
      it0.id,
      "assignee",
      { assignee_id: team.ada.id },
      { "If-Match": ok.headers.get("ETag") as string },
    );
    expect(retry.status).toBe(200);
  });

  it("a stale updated_at in the body answers 409; the current one applies", async () => {
    const it0 = await createInteraction(team.org.key, { title: "Versioned" });
    setClock(T0 + 60_000);
    const moved = (await (
      await patch(it0.id, "next-action", {
        next_action_at: "2026-06-18T09:00:00Z",
        updated_at: it0.updated_at,
      })
    ).json()) as Interaction;
    expect(moved.updated_at).toBe("2026-06-15T09:01:00.000Z");
    const stale = await patch(it0.id, "status", { status: "done", updated_at: it0.updated_at });
    expect(stale.status).toBe(409);
    const fresh = await patch(it0.id, "status", { status: "done", updated_at: moved.updated_at });
    expect(fresh.status).toBe(200);
    // If-Match with an ISO updated_at works too, and * means any version.
    expect((await patch(it0.id, "status", { status: "todo" }, { "If-Match": moved.updated_at })).status).toBe(
      409,
    );
    expect((await patch(it0.id, "status", { status: "todo" }, { "If-Match": "*" })).status).toBe(200);
    expect((await patch(it0.id, "status", { status: "todo", updated_at: "yesterday" })).status).toBe(422);
  });
});

describe("POST /api/v1/interactions/bulk", () => {
  it("marks several done and reassigns several at once; foreign ids are not found", async () => {
    const a = await createInteraction(team.org.key, { title: "Bulk A", assignee_id: team.ada.id });
    const b = await createInteraction(team.org.key, { title: "Bulk B" });
    const foreign = await createInteraction(other.key, { title: "Not yours" });
    const done = await json("/api/v1/interactions/bulk", {
      key: team.org.key,
      body: { action: "mark_done", ids: [a.id, b.id, foreign.id, "int_nope"] },
      expect: 200,
    });
    expect(done).toEqual({ updated: [a.id, b.id], not_found: [foreign.id, "int_nope"] });
    for (const id of [a.id, b.id]) {
      expect((await json<Interaction>(`/api/v1/interactions/${id}`, { key: team.org.key })).status).toBe(
        "done",
      );
    }
    expect((await json<Interaction>(`/api/v1/interactions/${foreign.id}`, { key: other.key })).status).toBe(
      "todo",
    );

    const re = await json("/api/v1/interactions/bulk", {
      key: team.bob.key,
      body: { action: "reassign", ids: [a.id, b.id], assignee_id: "me" },
      expect: 200,
    });
    expect(re.updated).toEqual([a.id, b.id]);
    expect((await json<Interaction>(`/api/v1/interactions/${b.id}`, { key: team.org.key })).assignee_id).toBe(
      team.bob.id,
    );

    const st = await json("/api/v1/interactions/bulk", {
      key: team.org.key,
      body: { action: "set_status", ids: [a.id], status: "in_progress" },
      expect: 200,
    });
    expect(st.updated).toEqual([a.id]);
  });

  it("validates the request", async () => {
    const bad = await json("/api/v1/interactions/bulk", {
      key: team.org.key,
      body: { action: "explode", ids: ["x"] },
      expect: 422,
    });
    expect(bad.error.code).toBe("VALIDATION_ERROR");
    await json("/api/v1/interactions/bulk", {
      key: team.org.key,
      body: { action: "mark_done", ids: [] },
      expect: 422,
    });
    const many = Array.from({ length: 201 }, (_, i) => `int_${i}`);
    await json("/api/v1/interactions/bulk", {
      key: team.org.key,
      body: { action: "mark_done", ids: many },
      expect: 422,
    });
    const foreignUser = await json("/api/v1/users", {
      key: other.key,
      body: { name: "Zed", email: "zed@other.test" },
      expect: 201,
    });
    const x = await createInteraction(team.org.key, { title: "keep" });
    const r = await json("/api/v1/interactions/bulk", {
      key: team.org.key,
      body: { action: "reassign", ids: [x.id], assignee_id: foreignUser.id },
      expect: 422,
    });
    expect(r.error.details[0].field).toBe("assignee_id");
  });

  it("takes 200 ids in one request (more than D1's 100 bound parameters)", async () => {
    const ids = await Promise.all(
      Array.from({ length: 120 }, (_, i) => createInteraction(team.org.key, { title: `many ${i}` })),
    );
    const res = await json("/api/v1/interactions/bulk", {
      key: team.org.key,
      body: {
        action: "mark_done",
        ids: [...ids.map((i) => i.id), ...Array.from({ length: 80 }, (_, i) => `int_x${i}`)],
      },
      expect: 200,
    });
    expect(res.updated).toHaveLength(120);
    expect(res.not_found).toHaveLength(80);
  });
});
