import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { databaseNames } from "../../src/db/route";
import { ADMIN_TOKEN, json } from "../helpers/api";
import { deliver, outcomeSpy } from "../helpers/sending";
import { enqueueSend } from "../helpers/sending";
import { createDb } from "../../src/db/client";
import { tenantScope } from "../../src/lib/tenant";

const createOrgIn = (name: string, database?: string) =>
  json<{ organization: { id: string }; api_key: string }>("/api/v1/admin/organizations", {
    key: ADMIN_TOKEN,
    body: { name, ...(database ? { database } : {}) },
    expect: 201,
  });

const count = async (d1: D1Database, sql: string, ...params: unknown[]) =>
  (
    await d1
      .prepare(sql)
      .bind(...params)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("an organization's data lives in its own D1 database (db/route.ts)", () => {
  it("routes every read and write of a sharded organization to its database; the directory keeps the keys", async () => {
    expect(databaseNames(env)).toEqual(["DB", "DB_SHARD_1"]);
    const home = await createOrgIn("Home");
    const away = await createOrgIn("Away", "DB_SHARD_1");
    for (const [org, email] of [
      [home, "ada@home.example"],
      [away, "bob@away.example"],
    ] as const) {
      await json("/api/v1/contacts", { key: org.api_key, body: { email }, expect: 201 });
    }
    // Contacts, default rules and templates of "Away" are in the shard only.
    expect(
      await count(
        env.DB_SHARD_1,
        "SELECT count(*) AS n FROM contacts WHERE organization_id = ?",
        away.organization.id,
      ),
    ).toBe(1);
    expect(
      await count(
        env.DB,
        "SELECT count(*) AS n FROM contacts WHERE organization_id = ?",
        away.organization.id,
      ),
    ).toBe(0);
    expect(
      await count(
        env.DB_SHARD_1,
        "SELECT count(*) AS n FROM rules WHERE organization_id = ?",
        away.organization.id,
      ),
    ).toBe(5);
    expect(
      await count(env.DB, "SELECT count(*) AS n FROM rules WHERE organization_id = ?", away.organization.id),
    ).toBe(0);
    expect(
      await count(
        env.DB,
        "SELECT count(*) AS n FROM contacts WHERE organization_id = ?",
        home.organization.id,
      ),
    ).toBe(1);
    expect(
      await count(
        env.DB_SHARD_1,
        "SELECT count(*) AS n FROM contacts WHERE organization_id = ?",
        home.organization.id,
      ),
    ).toBe(0);
    // The directory holds both organizations and their keys.
    expect(
      await count(
        env.DB,
        "SELECT count(*) AS n FROM api_keys WHERE organization_id = ?",
        away.organization.id,
      ),
    ).toBe(1);
    expect(await count(env.DB_SHARD_1, "SELECT count(*) AS n FROM api_keys")).toBe(0);

    // Reads through the API come from the right place, and tenancy holds across databases.
    const mine = await json(`/api/v1/contacts?email=bob@away.example`, { key: away.api_key, expect: 200 });
    expect(mine.items.map((c: { email: string }) => c.email)).toEqual(["bob@away.example"]);
    const theirs = await json(`/api/v1/contacts?email=bob@away.example`, { key: home.api_key, expect: 200 });
    expect(theirs.items).toEqual([]);
    await json(`/api/v1/contacts/${mine.items[0].id}`, { key: home.api_key, expect: 404 });

    // Settings (in the directory) are per organization too.
    await json("/api/v1/settings/scoring", {
      key: away.api_key,
      method: "PUT",
      body: { first_open: 7 },
      expect: 200,
    });
    expect((await json("/api/v1/settings/scoring", { key: away.api_key })).first_open).toBe(7);
    expect((await json("/api/v1/settings/scoring", { key: home.api_key })).first_open).toBe(3);
  });

  it("the SEND consumer claims and records a sharded organization's send in its database", async () => {
    const away = await createOrgIn("Away sender", "DB_SHARD_1");
    const contact = await json<{ id: string }>("/api/v1/contacts", {
      key: away.api_key,
      body: { email: "carol@away.example" },
      expect: 201,
    });
    const tenant = tenantScope(createDb(env.DB_SHARD_1), away.organization.id, createDb(env.DB));
    const { ledgerId, body } = await enqueueSend(tenant, {
      keyParts: [away.organization.id, "shard-test", contact.id],
      contactId: contact.id,
      payload: { subject: "Hi", html: "<p>Hi</p>", from_email: "team@away.example", provider: "log" },
    });
    const r = await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [body]);
    expect(r.explicitAcks).toHaveLength(1);
    const row = await env.DB_SHARD_1.prepare("SELECT status FROM operation_ledger WHERE id = ?")
      .bind(ledgerId)
      .first();
    expect(row).toEqual({ status: "executed" });
    expect(
      await count(env.DB_SHARD_1, "SELECT count(*) AS n FROM messages WHERE ledger_id = ?", ledgerId),
    ).toBe(1);
    expect(await count(env.DB, "SELECT count(*) AS n FROM messages WHERE ledger_id = ?", ledgerId)).toBe(0);
  });

  it("refuses a database that is not configured", async () => {
    const res = await json("/api/v1/admin/organizations", {
      key: ADMIN_TOKEN,
      body: { name: "Nowhere", database: "DB_SHARD_9" },
      expect: 422,
    });
    expect(res.error.details[0].field).toBe("database");
  });
});
