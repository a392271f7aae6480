/**
 * Regressions of the hardening report (issue 17): each input that once answered 500, or was
 * accepted and later broke an import or a send, is refused up front with the error envelope.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createOrg, json, type TestOrg } from "../helpers/api";

let org: TestOrg;
beforeAll(async () => {
  org = await createOrg("Hardening Ltd");
});

const nest = (levels: number, leaf: unknown = 1): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < levels; i++) v = { n: v };
  return v;
};
const conditionTree = (groups: number) => {
  let c: unknown = { field: "event.amount", op: "gt", value: 1 };
  for (let i = 0; i < groups; i++) c = { all: [c] };
  return c;
};
const rule = (conditions: unknown) => ({
  name: "deep",
  trigger: "purchase",
  conditions,
  actions: [{ type: "add_tag", config: { tag: "x" } }],
});
const importCsv = (csv: string) =>
  json("/api/v1/contacts/import", { key: org.key, raw: csv, contentType: "text/csv", expect: 200 });

describe("nesting limits", () => {
  it("rule conditions: 10 groups deep are taken, 11 are refused, 1,000 answer 422 (was 500)", async () => {
    await json("/api/v1/rules", { key: org.key, body: rule(conditionTree(10)), expect: 201 });
    const eleven = await json("/api/v1/rules", { key: org.key, body: rule(conditionTree(11)), expect: 422 });
    expect(eleven.error.code).toBe("VALIDATION_ERROR");
    expect(eleven.error.message).toContain("at most 10 deep");
    const thousand = await json("/api/v1/rules", {
      key: org.key,
      body: rule(conditionTree(1000)),
      expect: 422,
    });
    expect(thousand.error.message).toContain("deeper than 32 levels");
  });

  it("attributes and event properties nest at most 10 levels; 1,100 levels answer 422", async () => {
    // the attributes object itself is level 1: nest(10) is ten levels
    await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "ten@example.com", attributes: nest(10, "ok") },
      expect: 201,
    });
    const eleven = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "eleven@example.com", attributes: nest(11, "no") },
      expect: 422,
    });
    expect(eleven.error.details[0].field).toMatch(/^attributes/);
    expect(eleven.error.details[0].message).toContain("deeper than 10 levels");
    await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "deep@example.com", attributes: nest(1100) },
      expect: 422,
    });
    const event = await json("/api/v1/events", {
      key: org.key,
      body: { type: "page_visit", email: "ten@example.com", properties: nest(11) },
      expect: 422,
    });
    expect(event.error.details[0].field).toMatch(/^properties/);
  });

  it("an import still stores every other row when one address holds data the database refuses", async () => {
    // Data stored before the limits existed: attributes deeper than SQLite's JSON depth limit.
    const id = `ct_legacy_${crypto.randomUUID()}`;
    const deep = JSON.stringify(nest(1100));
    await env.DB.prepare(
      `INSERT INTO contacts (id, organization_id, email, email_normalized, tags, attributes, status, score, created_at, updated_at)
       VALUES (?1, ?2, 'legacy@example.com', 'legacy@example.com', '[]', ?3, 'subscribed', 0, 0, 0)`,
    )
      .bind(id, org.id, deep)
      .run();
    const res = await importCsv(
      "email,first_name,plan\nbefore@example.com,B,pro\nlegacy@example.com,L,pro\nafter@example.com,A,pro\n",
    );
    expect(res.created).toBe(2);
    expect(res.rejected).toHaveLength(1);
    expect(res.rejected[0]).toMatchObject({ line: 3, email: "legacy@example.com" });
    expect(res.rejected[0].reason).toMatch(/^could not be stored/);
    const after = await json(`/api/v1/contacts?email=after@example.com`, { key: org.key, expect: 200 });
    expect(after.items[0].attributes).toEqual({ plan: "pro" });
  });
});

describe("one validation for every way a contact arrives", () => {
  it("CSV rows go through the API's contact schema: CR/LF names, huge names, 150 tags are rejected", async () => {
    const tags150 = Array.from({ length: 150 }, (_, i) => `t${i}`).join(";");
    const csv = [
      "email,first_name,last_name,tags",
      'crlf@example.com,"Eve\r\nBcc: all@example.com",X,',
      `long@example.com,Ann,${"x".repeat(5000)},`,
      `tags@example.com,Tom,T,${tags150}`,
      "nul@example.com,Nu\u0000l,N,",
      "good@example.com,Good,Row,a;b",
    ].join("\n");
    const res = await importCsv(csv);
    expect(res.created).toBe(1);
    const reasons = Object.fromEntries(
      res.rejected.map((r: { email: string; reason: string }) => [r.email, r.reason]),
    );
    expect(reasons["crlf@example.com"]).toMatch(/^first_name: must not contain control characters/);
    expect(reasons["long@example.com"]).toMatch(/^last_name: /);
    expect(reasons["tags@example.com"]).toMatch(/^tags: /);
    expect(reasons["nul@example.com"]).toMatch(/^first_name: /);
    // the API refuses each of them the same way
    for (const body of [
      { email: "a1@example.com", first_name: "Eve\r\nBcc: x@example.com" },
      { email: "a2@example.com", last_name: "x".repeat(5000) },
      { email: "a3@example.com", tags: Array.from({ length: 150 }, (_, i) => `t${i}`) },
    ]) {
      await json("/api/v1/contacts", { key: org.key, body, expect: 422 });
    }
  });

  it("a template subject with NUL (or any control character) is refused; so is NUL in a body", async () => {
    for (const subject of ["Hi\u0000there", "Tab\there", "Bell\u0007"]) {
      const res = await json("/api/v1/templates", {
        key: org.key,
        body: { name: "t", subject, html: "<p>x</p>" },
        expect: 422,
      });
      expect(res.error.details[0].field).toBe("subject");
    }
    const html = await json("/api/v1/templates", {
      key: org.key,
      body: { name: "t", subject: "ok", html: "<p>\u0000</p>" },
      expect: 422,
    });
    expect(html.error.details[0].field).toBe("html");
    // newlines and tabs stay fine in bodies
    await json("/api/v1/templates", {
      key: org.key,
      body: { name: "t", subject: "ok", html: "<p>\n\tfine\r\n</p>", text: "line 1\nline 2" },
      expect: 201,
    });
  });

  it("a body that is not UTF-8, or holds a lone surrogate, is refused with the envelope", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"email":"'),
      0xff,
      0xfe,
      ...new TextEncoder().encode('@x.io"}'),
    ]);
    const bad = await json("/api/v1/contacts", { key: org.key, raw: bytes, expect: 400 });
    expect(bad.error.code).toBe("MALFORMED_JSON");
    const lone = await json("/api/v1/contacts", {
      key: org.key,
      raw: '{"email":"s@example.com","first_name":"\\ud800"}',
      expect: 422,
    });
    expect(lone.error.details[0]).toMatchObject({ field: "first_name" });
    expect(lone.error.details[0].message).toContain("lone surrogate");
  });
});
