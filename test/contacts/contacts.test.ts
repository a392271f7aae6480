import { beforeAll, describe, expect, it } from "vitest";
import { createOrg, json, type TestOrg } from "../helpers/api";

let org: TestOrg;
beforeAll(async () => {
  org = await createOrg("Contacts Inc");
});

const create = (body: object, expect = 201) => json("/api/v1/contacts", { key: org.key, body, expect });

describe("contacts API", () => {
  it("creates a contact with every field and reads it back", async () => {
    const c = await create({
      email: "Ada@Example.com",
      first_name: "Ada",
      last_name: "Lovelace",
      phone: "+44 20 0000 0000",
      timezone: "Europe/London",
      tags: ["vip", "beta", "vip"],
      attributes: { plan: "pro", seats: 3 },
      validation_score: 92,
      deliverable: true,
    });
    expect(c).toMatchObject({
      email: "Ada@Example.com",
      first_name: "Ada",
      timezone: "Europe/London",
      tags: ["vip", "beta"],
      attributes: { plan: "pro", seats: 3 },
      status: "subscribed",
      score: 0,
      validation_score: 92,
      deliverable: true,
    });
    expect(c.id).toMatch(/^ct_/);
    expect(new Date(c.created_at).toISOString()).toBe(c.created_at);
    expect(await json(`/api/v1/contacts/${c.id}`, { key: org.key, expect: 200 })).toEqual(c);
  });

  it("answers 409 CONTACT_EXISTS for the same email in another case", async () => {
    await create({ email: "dup@example.com" });
    const res = await create({ email: "DUP@example.COM" }, 409);
    expect(res.error.code).toBe("CONTACT_EXISTS");
  });

  it("patches fields, merging attributes and replacing tags", async () => {
    const c = await create({ email: "patch@example.com", tags: ["a"], attributes: { x: 1 } });
    const p = await json(`/api/v1/contacts/${c.id}`, {
      key: org.key,
      method: "PATCH",
      body: { first_name: "Pat", tags: ["b"], attributes: { y: 2 } },
      expect: 200,
    });
    expect(p).toMatchObject({
      first_name: "Pat",
      tags: ["b"],
      attributes: { x: 1, y: 2 },
      email: "patch@example.com",
    });
    expect(Date.parse(p.updated_at)).toBeGreaterThanOrEqual(Date.parse(c.updated_at));
  });

  it("refuses to patch an email onto another contact's address", async () => {
    await create({ email: "taken@example.com" });
    const c = await create({ email: "mover@example.com" });
    const res = await json(`/api/v1/contacts/${c.id}`, {
      key: org.key,
      method: "PATCH",
      body: { email: "Taken@example.com" },
      expect: 409,
    });
    expect(res.error.code).toBe("CONTACT_EXISTS");
  });

  it("lists with cursor pagination and filters by email and tag", async () => {
    const own = await createOrg("Lister");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await json("/api/v1/contacts", {
        key: own.key,
        body: { email: `p${i}@example.com`, tags: i % 2 ? ["odd"] : ["even"] },
        expect: 201,
      });
      ids.push(c.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const page: { items: { id: string }[]; next_cursor: string | null } = await json(
        `/api/v1/contacts?limit=3${q}`,
        { key: own.key, expect: 200 },
      );
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);

    const odd = await json("/api/v1/contacts?tag=odd", { key: own.key, expect: 200 });
    expect(odd.items.map((c: { email: string }) => c.email)).toEqual([
      "p1@example.com",
      "p3@example.com",
      "p5@example.com",
    ]);
    const byEmail = await json("/api/v1/contacts?email=P4@EXAMPLE.com", { key: own.key, expect: 200 });
    expect(byEmail.items).toHaveLength(1);
    expect(byEmail.items[0].id).toBe(ids[4]);
  });

  it("rejects a bad limit or cursor with 400", async () => {
    expect((await json("/api/v1/contacts?limit=500", { key: org.key, expect: 400 })).error.code).toBe(
      "INVALID_QUERY",
    );
    expect((await json("/api/v1/contacts?cursor=garbage!", { key: org.key, expect: 400 })).error.code).toBe(
      "INVALID_QUERY",
    );
  });

  it("exports everything held about a person", async () => {
    const c = await create({ email: "export@example.com", first_name: "Ex", attributes: { city: "Lyon" } });
    const out = await json(`/api/v1/contacts/${c.id}/export`, { key: org.key, expect: 200 });
    expect(out.contact).toMatchObject({
      id: c.id,
      email: "export@example.com",
      attributes: { city: "Lyon" },
    });
    for (const section of ["messages", "events", "score_history", "interactions", "sequences"]) {
      expect(Array.isArray(out[section])).toBe(true);
    }
  });

  it("erases a contact (GDPR) and keeps the address suppressed as a hash", async () => {
    const c = await create({ email: "erase.me@example.com", first_name: "Gone" });
    expect(await json(`/api/v1/contacts/${c.id}`, { key: org.key, method: "DELETE", expect: 200 })).toEqual({
      id: c.id,
      erased: true,
    });
    await json(`/api/v1/contacts/${c.id}`, { key: org.key, expect: 404 });

    const { env } = await import("cloudflare:workers");
    const stored = await env.DB.prepare(
      "SELECT email_hash, reason FROM suppressions WHERE organization_id = ?",
    )
      .bind(org.id)
      .all<{ email_hash: string; reason: string }>();
    const row = stored.results.find((r) => r.reason === "erased");
    expect(row?.email_hash).toMatch(/^[0-9a-f]{64}$/);
    const leaked = await env.DB.prepare(
      "SELECT count(*) AS n FROM contacts WHERE email_normalized = 'erase.me@example.com'",
    ).first<{ n: number }>();
    expect(leaked?.n).toBe(0);

    // Re-creating the address is allowed but it can never be mailed again.
    const again = await create({ email: "Erase.Me@example.com" });
    expect(again.status).toBe("unsubscribed");
  });
});
