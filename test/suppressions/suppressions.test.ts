import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createOrg, json } from "../helpers/api";

const add = (key: string, emails: string[]) =>
  json("/api/v1/suppressions", { key, body: { emails }, expect: 200 });

describe("the suppression list", () => {
  it("adds, lists with reason and source, searches, removes (recorded), and is the organization's own", async () => {
    const org = await createOrg();
    expect(
      await add(org.key, ["Ada@Example.com", "bob@example.com", "ada@example.com", "not-an-email"]),
    ).toEqual({
      added: 2,
      existing: 0,
      rejected: [
        { email: "ada@example.com", reason: "duplicate email in file" },
        { email: "not-an-email", reason: "invalid email" },
      ],
    });
    expect((await add(org.key, ["bob@example.com"])).existing).toBe(1);
    const list = await json(`/api/v1/suppressions`, { key: org.key, expect: 200 });
    expect(
      list.items
        .map((i: { email: string; reason: string; source: string }) => [i.email, i.reason, i.source])
        .sort(),
    ).toEqual([
      ["ada@example.com", "manual", "api"],
      ["bob@example.com", "manual", "api"],
    ]);
    expect((await json(`/api/v1/suppressions?q=ADA`, { key: org.key })).items).toHaveLength(1);
    expect((await json(`/api/v1/suppressions?q=bob@example.com`, { key: org.key })).items).toHaveLength(1);
    expect((await json(`/api/v1/suppressions?reason=complaint`, { key: org.key })).items).toHaveLength(0);
    // Another organization sees none of it and cannot remove it.
    const other = await createOrg();
    expect((await json(`/api/v1/suppressions`, { key: other.key })).items).toEqual([]);
    await json(`/api/v1/suppressions/ada@example.com`, { key: other.key, method: "DELETE", expect: 404 });
    const removed = await json(`/api/v1/suppressions/ADA@example.com`, {
      key: org.key,
      method: "DELETE",
      expect: 200,
    });
    expect(removed).toMatchObject({ email: "ada@example.com", reason: "manual" });
    await json(`/api/v1/suppressions/ada@example.com`, { key: org.key, method: "DELETE", expect: 404 });
    const log = await env.DB.prepare(
      "SELECT type, source, raw FROM events WHERE organization_id = ?1 AND type = 'suppression_removed'",
    )
      .bind(org.id)
      .all<{ type: string; source: string; raw: string }>();
    expect(log.results).toHaveLength(1);
    expect(JSON.parse(log.results[0]?.raw ?? "{}")).toMatchObject({
      email: "ada@example.com",
      reason: "manual",
    });
    // Pages.
    await add(
      org.key,
      Array.from({ length: 5 }, (_, i) => `p${i}@example.com`),
    );
    const first = await json(`/api/v1/suppressions?limit=4`, { key: org.key });
    const second = await json(`/api/v1/suppressions?limit=4&cursor=${first.next_cursor}`, { key: org.key });
    expect(first.items).toHaveLength(4);
    expect(second.items).toHaveLength(2);
    expect(new Set([...first.items, ...second.items].map((i: { email: string }) => i.email)).size).toBe(6);
  });

  it("imports a CSV with its rejected lines, exports CSV, and keeps only the hash of an erased address", async () => {
    const org = await createOrg();
    const csv = [
      "name,email",
      "A,a1@example.com",
      "B,not valid",
      "",
      "C,a1@example.com",
      "D,a2@example.com",
    ].join("\n");
    const res = await json("/api/v1/suppressions/import", {
      key: org.key,
      raw: csv,
      contentType: "text/csv",
      expect: 200,
    });
    expect(res).toEqual({
      added: 2,
      existing: 0,
      rejected: [
        { line: 3, email: "not valid", reason: "invalid email" },
        { line: 5, email: "a1@example.com", reason: "duplicate email in file" },
      ],
    });
    expect(
      (
        await json("/api/v1/suppressions/import", {
          key: org.key,
          raw: "mail\nx@example.com",
          contentType: "text/csv",
        })
      ).rejected,
    ).toEqual([{ line: 1, email: "", reason: "the header row has no email column" }]);
    const contact = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "gone@example.com" },
      expect: 201,
    });
    await json(`/api/v1/contacts/${contact.id}`, { key: org.key, method: "DELETE", expect: 200 });
    const erased = (await json("/api/v1/suppressions?reason=erased", { key: org.key })).items;
    expect(erased).toHaveLength(1);
    expect(erased[0]).toMatchObject({ email: null, reason: "erased", source: "erasure" });
    expect(erased[0].email_hash).toMatch(/^[0-9a-f]{64}$/);
    const out = await call("/api/v1/suppressions/export", { key: org.key });
    expect(out.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await out.text()).trim().split("\r\n");
    expect(lines[0]).toBe("email,reason,source,created_at");
    expect(
      lines
        .slice(1)
        .map((l) => l.split(",").slice(0, 3).join(","))
        .sort(),
    ).toEqual(
      [
        "a1@example.com,manual,import",
        "a2@example.com,manual,import",
        `${erased[0].email_hash},erased,erasure`,
      ].sort(),
    );
  });
});
