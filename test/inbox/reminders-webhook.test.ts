import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { resetClock, setClock } from "../../src/lib/clock";
import { runReminders } from "../../src/services/inbox/reminders";
import { generateWebhookSecret, verifyWebhook } from "../../src/providers/outbound-webhook";
import { json } from "../helpers/api";
import { countRows, createInteraction, createTeam, type TestTeam } from "../helpers/inbox";
import { type Captured, HOOK, receiver as receiverOn, useWebhookNetwork } from "../helpers/inbox-webhooks";

const T0 = Date.parse("2026-06-15T09:00:00Z");
const network = useWebhookNetwork();
const receiver = (url: string, status?: number) => receiverOn(network, url, status);
afterAll(() => resetClock());

describe("reminder settings and the reminder webhook", () => {
  let team: TestTeam;
  beforeEach(async () => {
    setClock(T0);
    team = await createTeam();
  });

  it("GET|PUT /api/v1/settings/reminders: the secret is shown once, SSRF targets are refused", async () => {
    expect(await json("/api/v1/settings/reminders", { key: team.org.key, expect: 200 })).toEqual({
      email: false,
      webhook_url: null,
      webhook_secret_set: false,
    });
    for (const webhook_url of [
      "http://hooks.example.com/x",
      "https://127.0.0.1/x",
      "https://[::1]/x",
      "https://169.254.169.254/",
    ]) {
      const bad = await json("/api/v1/settings/reminders", {
        method: "PUT",
        key: team.org.key,
        body: { webhook_url },
        expect: 422,
      });
      expect(bad.error.details[0].field).toBe("webhook_url");
    }
    await json("/api/v1/settings/reminders", {
      method: "PUT",
      key: team.org.key,
      body: { webhook_secret: "whsec_short" },
      expect: 422,
    });
    await json("/api/v1/settings/reminders", {
      method: "PUT",
      key: team.org.key,
      body: { email: "yes" },
      expect: 422,
    });

    const put = await json("/api/v1/settings/reminders", {
      method: "PUT",
      key: team.org.key,
      body: { email: true, webhook_url: HOOK },
      expect: 200,
    });
    expect(put).toMatchObject({ email: true, webhook_url: HOOK, webhook_secret_set: true });
    expect(put.webhook_secret).toMatch(/^whsec_/);
    const got = await json("/api/v1/settings/reminders", { key: team.org.key, expect: 200 });
    expect(got).toEqual({ email: true, webhook_url: HOOK, webhook_secret_set: true });
    // The secret is stored encrypted, never in clear.
    const raw = await env.DB.prepare("SELECT settings FROM organizations WHERE id = ?")
      .bind(team.org.id)
      .first<{ settings: string }>();
    expect(raw?.settings).not.toContain(put.webhook_secret.slice(6));
    // Leaving fields out keeps them; the secret is not shown again unless rotated.
    const again = await json("/api/v1/settings/reminders", {
      method: "PUT",
      key: team.org.key,
      body: { email: false },
      expect: 200,
    });
    expect(again).toEqual({ email: false, webhook_url: HOOK, webhook_secret_set: true });
    const rotated = await json("/api/v1/settings/reminders", {
      method: "PUT",
      key: team.org.key,
      body: { rotate_webhook_secret: true },
      expect: 200,
    });
    expect(rotated.webhook_secret).not.toBe(put.webhook_secret);
  });

  it("POSTs one signed webhook per organization per page, once, with the reminders", async () => {
    const seen = receiver(HOOK);
    const secret = generateWebhookSecret();
    await json("/api/v1/settings/reminders", {
      method: "PUT",
      key: team.org.key,
      body: { webhook_url: HOOK, webhook_secret: secret },
      expect: 200,
    });
    const a = await createInteraction(team.org.key, {
      title: "Call Lea",
      assignee_id: team.ada.id,
      next_action_at: new Date(T0).toISOString(),
    });
    const b = await createInteraction(team.org.key, {
      title: "Send quote",
      assignee_id: team.bob.id,
      next_action_at: new Date(T0).toISOString(),
    });
    setClock(T0 + 60_000);
    const [r1, r2] = await Promise.all([runReminders(env), runReminders(env)]);
    expect(r1.webhooks + r2.webhooks).toBe(1);
    expect(seen).toHaveLength(1);
    const { headers, body } = seen[0] as Captured;
    expect(await verifyWebhook(secret, headers, body)).toBe(true);
    const msg = JSON.parse(body);
    expect(msg.type).toBe("interaction.reminders");
    expect(msg.data.organization_id).toBe(team.org.id);
    const byId = Object.fromEntries(
      msg.data.reminders.map((r: { interaction: { id: string } }) => [r.interaction.id, r]),
    );
    expect(byId[a.id]).toMatchObject({
      interaction: { title: "Call Lea" },
      assignee: { id: team.ada.id, email: team.ada.email },
    });
    expect(byId[b.id]).toMatchObject({ assignee: { id: team.bob.id } });
    expect(byId[a.id].notification_id).toMatch(/^ntf_/);
    await runReminders(env);
    expect(seen).toHaveLength(1);
  });

  it("a failing receiver does not block the notification nor repeat it", async () => {
    const seen = receiver(HOOK, 500);
    await json("/api/v1/settings/reminders", {
      method: "PUT",
      key: team.org.key,
      body: { webhook_url: HOOK },
      expect: 200,
    });
    const a = await createInteraction(team.org.key, {
      title: "x",
      assignee_id: team.ada.id,
      next_action_at: new Date(T0).toISOString(),
    });
    setClock(T0 + 60_000);
    const r = await runReminders(env);
    expect(r).toMatchObject({ claimed: 1, webhooks: 0, webhookFailures: 1 });
    // One retry, as the same message (same webhook-id) so the receiver can dedupe.
    expect(seen).toHaveLength(2);
    expect(seen[1]?.headers.get("webhook-id")).toBe(seen[0]?.headers.get("webhook-id"));
    expect(await countRows("SELECT count(*) AS n FROM notifications WHERE interaction_id = ?", a.id)).toBe(1);
    await runReminders(env);
    expect(seen).toHaveLength(2);
  });
});
