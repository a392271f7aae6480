import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { createDb } from "../../src/db/client";
import { providerAccounts } from "../../src/db/schema";
import { tenantScope } from "../../src/lib/tenant";
import { resolveProviderAccount } from "../../src/services/settings/provider-accounts";
import { createOrg, json } from "../helpers/api";
import { deliver, outcomeSpy, scenarioSend, sendingFixture } from "../helpers/sending";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ses = {
  region: "eu-west-1",
  access_key_id: "AKIAIOSFODNN7EXAMPLE",
  secret_access_key: SECRET,
  configuration_set: "marketing",
  topic_arns: ["arn:aws:sns:eu-west-1:123456789012:ses-events"],
};

describe("PUT /api/v1/settings/providers", () => {
  it("stores secrets encrypted, never returns them, and keeps them when omitted", async () => {
    const org = await createOrg();
    const put = await json("/api/v1/settings/providers", {
      key: org.key,
      method: "PUT",
      body: { ses, brevo: { api_key: "xkeysib-brevo-secret-123" } },
      expect: 200,
    });
    expect(put).toEqual({
      log: { configured: true },
      ses: {
        configured: true,
        region: "eu-west-1",
        configuration_set: "marketing",
        topic_arns: ses.topic_arns,
        max_send_rate: 14,
      },
      brevo: { configured: true, max_send_rate: 10 },
    });
    const text = JSON.stringify(await json("/api/v1/settings/providers", { key: org.key, expect: 200 }));
    const settings = JSON.stringify(await json("/api/v1/settings", { key: org.key, expect: 200 }));
    for (const body of [text, settings, JSON.stringify(put)]) {
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain("xkeysib-brevo-secret-123");
      expect(body).not.toContain("AKIAIOSFODNN7EXAMPLE");
    }
    const rows = await createDb(env.DB)
      .select()
      .from(providerAccounts)
      .where(eq(providerAccounts.organizationId, org.id))
      .all();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.secretCiphertext).toBeTruthy();
      expect(JSON.stringify(row)).not.toContain(SECRET);
      expect(JSON.stringify(row)).not.toContain("xkeysib-brevo-secret-123");
    }

    // update without the secret: the stored one is kept and still decrypts
    await json("/api/v1/settings/providers", {
      key: org.key,
      method: "PUT",
      body: { ses: { region: "us-east-1", access_key_id: "AKIAIOSFODNN7EXAMPLE", max_send_rate: 50 } },
      expect: 200,
    });
    const account = await resolveProviderAccount(
      tenantScope(createDb(env.DB), org.id),
      env.ENCRYPTION_KEY,
      "ses",
    );
    expect(account).toMatchObject({
      provider: "ses",
      maxSendRate: 50,
      account: { region: "us-east-1", secretAccessKey: SECRET },
    });
  });

  it("answers 422 for invalid input and a first configuration without its secret; never 500", async () => {
    const org = await createOrg();
    const bad = [
      { ses: { ...ses, region: "Mars" } },
      { ses: { ...ses, topic_arns: ["not-an-arn"] } },
      { ses: { ...ses, secret_access_key: "has space in it 1234" } },
      { ses: { ...ses, max_send_rate: -1 } },
      { brevo: { api_key: "key\r\nX-Injected: 1" } },
      { ses: { region: "eu-west-1", access_key_id: "AKIAIOSFODNN7EXAMPLE" } },
      { brevo: {} },
    ];
    for (const body of bad) {
      const res = await json("/api/v1/settings/providers", {
        key: org.key,
        method: "PUT",
        body,
        expect: 422,
      });
      expect(res.error.code).toBe("VALIDATION_ERROR");
    }
    await json("/api/v1/settings/providers", { key: org.key, method: "PUT", raw: "{not json", expect: 400 });
  });

  it("null removes a provider", async () => {
    const org = await createOrg();
    await json("/api/v1/settings/providers", { key: org.key, method: "PUT", body: { ses }, expect: 200 });
    const res = await json("/api/v1/settings/providers", {
      key: org.key,
      method: "PUT",
      body: { ses: null },
      expect: 200,
    });
    expect(res.ses.configured).toBe(false);
  });
});

describe("GET /api/v1/messages", () => {
  it("lists messages with filters and cursor pagination, and shows one with its raw MIME", async () => {
    const f = await sendingFixture();
    const consumer = createSendConsumer({ notify: outcomeSpy().notify });
    for (const scope of ["1", "2", "3"]) await deliver(consumer, [(await scenarioSend(f, scope)).body]);

    const page1 = await json("/api/v1/messages?limit=2", { key: f.org.key, expect: 200 });
    expect(page1.items).toHaveLength(2);
    expect(page1.next_cursor).toEqual(expect.any(String));
    const page2 = await json(`/api/v1/messages?limit=2&cursor=${page1.next_cursor}`, {
      key: f.org.key,
      expect: 200,
    });
    expect(page2.items).toHaveLength(1);
    expect(page2.next_cursor).toBeNull();
    const ids = [...page1.items, ...page2.items].map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(3);
    expect(page1.items[0]).toMatchObject({
      contact_id: f.contact.id,
      scenario_id: f.scenarioId,
      step_order: 1,
      variant_name: "A",
      provider: "log",
      subject: "Hello Ada",
      status: "sent",
      open_count: 0,
      click_count: 0,
    });
    expect(page1.items[0].raw).toBeUndefined();
    expect(page1.items[0].sent_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const filtered = await json(
      `/api/v1/messages?contact_id=${f.contact.id}&scenario_id=${f.scenarioId}&status=sent`,
      { key: f.org.key, expect: 200 },
    );
    expect(filtered.items).toHaveLength(3);
    expect((await json("/api/v1/messages?status=failed", { key: f.org.key, expect: 200 })).items).toEqual([]);
    expect((await json("/api/v1/messages?status=nope", { key: f.org.key, expect: 400 })).error.code).toBe(
      "INVALID_QUERY",
    );
    expect((await json("/api/v1/messages?cursor=@@", { key: f.org.key, expect: 400 })).error.code).toBe(
      "INVALID_QUERY",
    );

    const one = await json(`/api/v1/messages/${ids[0]}`, { key: f.org.key, expect: 200 });
    expect(one.raw).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
    expect(one.id).toBe(ids[0]);
  });

  it("another organization's message is 404", async () => {
    const f = await sendingFixture();
    await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [(await scenarioSend(f)).body]);
    const [msg] = (await json("/api/v1/messages", { key: f.org.key, expect: 200 })).items;
    const other = await createOrg();
    expect((await json(`/api/v1/messages/${msg.id}`, { key: other.key, expect: 404 })).error.code).toBe(
      "NOT_FOUND",
    );
    expect((await json("/api/v1/messages", { key: other.key, expect: 200 })).items).toEqual([]);
  });
});
