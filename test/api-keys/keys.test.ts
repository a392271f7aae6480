import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, createOrg, json } from "../helpers/api";

describe("organizations and API keys", () => {
  it("creates an organization only with the operator token", async () => {
    expect((await call("/api/v1/admin/organizations", { body: { name: "x" } })).status).toBe(401);
    expect(
      (await call("/api/v1/admin/organizations", { key: "wrong-token-wrong-token", body: { name: "x" } }))
        .status,
    ).toBe(401);
    const res = await json("/api/v1/admin/organizations", {
      key: ADMIN_TOKEN,
      body: { name: "Acme" },
      expect: 201,
    });
    expect(res.organization).toMatchObject({ name: "Acme" });
    expect(res.api_key).toMatch(/^em_live_[A-Za-z0-9_-]{40,}$/);
  });

  it("stores keys as SHA-256 hashes, never in clear", async () => {
    const org = await createOrg();
    const rows = await env.DB.prepare("SELECT key_hash, prefix FROM api_keys WHERE organization_id = ?")
      .bind(org.id)
      .all<{ key_hash: string; prefix: string }>();
    expect(rows.results).toHaveLength(1);
    const row = rows.results[0];
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(org.key)));
    expect(row?.key_hash).toBe([...digest].map((b) => b.toString(16).padStart(2, "0")).join(""));
    expect(org.key.startsWith(row?.prefix ?? "?")).toBe(true);
    const dump = JSON.stringify(await env.DB.prepare("SELECT * FROM api_keys").all());
    expect(dump).not.toContain(org.key);
  });

  it("creates more keys, lists them without secrets, and revokes one", async () => {
    const org = await createOrg();
    const second = await json("/api/v1/api-keys", { key: org.key, body: { name: "ci" }, expect: 201 });
    expect(second.api_key).toMatch(/^em_live_/);
    expect((await call("/api/v1/contacts", { key: second.api_key })).status).toBe(200);

    const list = await json("/api/v1/api-keys", { key: org.key, expect: 200 });
    expect(list.items).toHaveLength(2);
    expect(JSON.stringify(list)).not.toContain(second.api_key);

    await json(`/api/v1/api-keys/${second.id}`, { key: org.key, method: "DELETE", expect: 200 });
    const denied = await json("/api/v1/contacts", { key: second.api_key, expect: 401 });
    expect(denied.error.code).toBe("UNAUTHORIZED");
    expect((await call("/api/v1/contacts", { key: org.key })).status).toBe(200);
    await json(`/api/v1/api-keys/${second.id}`, { key: org.key, method: "DELETE", expect: 404 });
  });

  it("binds a key to a team member of the same organization only", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const user = await json("/api/v1/users", {
      key: org.key,
      body: { name: "Sam", email: "sam@example.com" },
      expect: 201,
    });
    const bound = await json("/api/v1/api-keys", {
      key: org.key,
      body: { name: "sam", user_id: user.id },
      expect: 201,
    });
    expect(bound.user_id).toBe(user.id);
    await json("/api/v1/api-keys", {
      key: other.key,
      body: { name: "steal", user_id: user.id },
      expect: 422,
    });
  });

  it("shows the webhook URLs in the settings", async () => {
    const org = await createOrg();
    const s = await json("/api/v1/settings", { key: org.key, expect: 200 });
    expect(s.webhook_urls.ses).toMatch(/^https:\/\/mail\.example\.test\/webhooks\/ses\/[A-Za-z0-9_-]{16,}$/);
    expect(s.webhook_urls.brevo).toMatch(
      /^https:\/\/mail\.example\.test\/webhooks\/brevo\/[A-Za-z0-9_-]{16,}$/,
    );
    expect(s.providers.log.configured).toBe(true);
  });
});
