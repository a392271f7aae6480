import { beforeEach, describe, expect, it } from "vitest";
import { resetClock } from "../../src/lib/clock";
import { json } from "../helpers/api";
import { BREVO, BREVO_MESSAGE_ID } from "../helpers/events-fixtures";
import {
  drainEvents,
  type EventsOrg,
  eventRows,
  eventsOrg,
  getContactRow,
  getMessage,
  postWebhook,
  seedContact,
  seedMessage,
} from "../helpers/events";
import { isSuppressed } from "../../src/services/suppressions/store";

beforeEach(() => resetClock());

/**
 * A fresh organization with recipient@example.com and the message the Brevo fixtures name. The
 * message id is unique across organizations, so each organization gets its own and `body` swaps it in.
 */
async function setup() {
  const org = await eventsOrg();
  const contact = await seedContact(org.tenant, "recipient@example.com");
  const externalId = `${org.id}.${BREVO_MESSAGE_ID}`;
  const messageId = await seedMessage(org.tenant, { contactId: contact.id, provider: "brevo", externalId });
  const body = (...fixtures: string[]) => {
    const items = fixtures.map(
      (f) => JSON.parse(f.replaceAll(BREVO_MESSAGE_ID, externalId)) as Record<string, unknown>,
    );
    return JSON.stringify(items.length === 1 ? items[0] : items);
  };
  return { org, contact, messageId, body };
}

const post = (org: EventsOrg, body: string, headers: Record<string, string> = {}) =>
  postWebhook("brevo", org.webhookToken, body, headers);

describe("Brevo webhook", () => {
  it("stores each fixture event and applies delivered, unique_opened, opened and click", async () => {
    const { org, contact, messageId, body } = await setup();
    for (const f of [BREVO.request, BREVO.delivered, BREVO.unique_opened, BREVO.click]) {
      const res = await post(org, body(f));
      expect(res.status).toBe(200);
    }
    // "opened" shares ts_epoch with unique_opened but is another event name: a second open.
    expect(await (await post(org, body(BREVO.opened))).json()).toMatchObject({ stored: 1, duplicates: 0 });
    await drainEvents();
    const m = await getMessage(messageId);
    expect(m).toMatchObject({ status: "clicked", openCount: 2, clickCount: 1, deliveredAt: 1520363423000 });
    expect((await getContactRow(contact.id))?.score).toBe(3 + 1 + 8);
  });

  it("counts the same (message-id, event, ts_epoch) once, with or without angle brackets", async () => {
    const { org, messageId, body } = await setup();
    const once = body(BREVO.unique_opened);
    expect(await (await post(org, once)).json()).toMatchObject({ stored: 1 });
    expect(await (await post(org, once)).json()).toMatchObject({ stored: 0, duplicates: 1 });
    const bare = JSON.parse(once) as Record<string, string>;
    bare["message-id"] = (bare["message-id"] ?? "").replace(/[<>]/g, "");
    expect(await (await post(org, JSON.stringify(bare))).json()).toMatchObject({ duplicates: 1 });
    await drainEvents();
    expect((await getMessage(messageId))?.openCount).toBe(1);
  });

  it("answers 400 and stores nothing for malformed bodies", async () => {
    const { org, body } = await setup();
    for (const bad of [
      "",
      "{",
      "null",
      "42",
      '"delivered"',
      "{}",
      '{"event": 5}',
      JSON.stringify([JSON.parse(body(BREVO.delivered)), { email: "x@example.com" }]),
      JSON.stringify([JSON.parse(body(BREVO.delivered)), "opened"]),
    ]) {
      const res = await post(org, bad);
      expect(res.status, bad).toBe(400);
    }
    expect(await eventRows(org.id)).toHaveLength(0);
  });

  it("treats proxy opens as machine opens: counted apart, no score", async () => {
    const { org, contact, messageId, body } = await setup();
    const proxy = (f: string) => body(f.replace("201798300811.5787683@relay.domain.com", BREVO_MESSAGE_ID));
    await post(org, proxy(BREVO.unique_proxy_open));
    await post(org, proxy(BREVO.proxy_open));
    await drainEvents();
    expect(await getMessage(messageId)).toMatchObject({ openCount: 0, machineOpenCount: 2, status: "sent" });
    expect((await getContactRow(contact.id))?.score).toBe(0);
  });

  it("suppresses hard bounces, invalid addresses, spam and unsubscribes, not soft bounces", async () => {
    const soft = await setup();
    await post(
      soft.org,
      soft.body(BREVO.soft_bounce.replace("recipient@no-mx.example.com", "recipient@example.com")),
    );
    await drainEvents();
    expect(await isSuppressed(soft.org.tenant, "recipient@example.com")).toBe(false);
    expect((await getContactRow(soft.contact.id))?.status).toBe("subscribed");

    const hard = await setup();
    await post(hard.org, hard.body(BREVO.hard_bounce));
    await drainEvents();
    expect(await isSuppressed(hard.org.tenant, "not-a-user@example.com")).toBe(true);
    expect((await getMessage(hard.messageId))?.status).toBe("bounced");
    expect((await getContactRow(hard.contact.id))?.status).toBe("bounced");

    for (const [fixture, status] of [
      [BREVO.spam, "complained"],
      [BREVO.unsubscribe, "unsubscribed"],
      [BREVO.invalid_email, "bounced"],
    ] as const) {
      const s = await setup();
      await post(s.org, s.body(fixture));
      await drainEvents();
      expect(await isSuppressed(s.org.tenant, "recipient@example.com"), fixture).toBe(true);
      expect((await getContactRow(s.contact.id))?.status).toBe(status);
    }
  });

  it("records blocked, deferred, error and complaint events from the documentation", async () => {
    const { org, messageId, body } = await setup();
    const res = await post(org, body(BREVO.blocked, BREVO.deferred, BREVO.error, BREVO.complaint));
    expect(await res.json()).toMatchObject({ stored: 4 });
    await drainEvents();
    expect(await getMessage(messageId)).toMatchObject({
      status: "failed",
      failureReason: "blocked : due to blacklist user",
    });
    // The documented complaint is about an address that is no contact here: it is suppressed all the same.
    expect(await isSuppressed(org.tenant, "example@domain.com")).toBe(true);
    expect((await eventRows(org.id)).every((r) => r.processedAt !== null)).toBe(true);
  });
});

describe("Brevo webhook checks", () => {
  it("requires the bearer token once one is configured, compared by hash", async () => {
    const { org, body } = await setup();
    const token = "brevo-webhook-secret-0123456789";
    const view = await json("/api/v1/settings/brevo-webhook", {
      key: org.key,
      method: "PUT",
      body: { auth: { type: "bearer", token } },
      expect: 200,
    });
    expect(view).toEqual({ auth: { type: "bearer" }, allowed_ips: [] });
    expect((await post(org, body(BREVO.delivered))).status).toBe(401);
    expect(
      (await post(org, body(BREVO.delivered), { Authorization: "Bearer wrong-token-0123456789" })).status,
    ).toBe(401);
    expect((await post(org, body(BREVO.delivered), { Authorization: `Bearer ${token}` })).status).toBe(200);
    expect(await eventRows(org.id)).toHaveLength(1);
  });

  it("checks basic auth and the IP allowlist (CF-Connecting-IP)", async () => {
    const { org, body } = await setup();
    await json("/api/v1/settings/brevo-webhook", {
      key: org.key,
      method: "PUT",
      body: {
        auth: { type: "basic", username: "brevo", password: "s3cret-pass" },
        allowed_ips: ["1.179.112.0/20", "172.246.240.0/20"],
      },
      expect: 200,
    });
    const basic = `Basic ${btoa("brevo:s3cret-pass")}`;
    expect(
      (await post(org, body(BREVO.delivered), { Authorization: basic, "CF-Connecting-IP": "1.179.127.255" }))
        .status,
    ).toBe(200);
    expect(
      (await post(org, body(BREVO.opened), { Authorization: basic, "CF-Connecting-IP": "1.179.128.1" }))
        .status,
    ).toBe(403);
    expect((await post(org, body(BREVO.opened), { Authorization: basic })).status).toBe(403);
    const wrong = `Basic ${btoa("brevo:guess")}`;
    expect(
      (await post(org, body(BREVO.opened), { Authorization: wrong, "CF-Connecting-IP": "172.246.240.9" }))
        .status,
    ).toBe(401);
    expect(await eventRows(org.id)).toHaveLength(1);
    const bad = await json("/api/v1/settings/brevo-webhook", {
      key: org.key,
      method: "PUT",
      body: { allowed_ips: ["1.2.3.4/40"] },
    });
    expect(bad.error.code).toBe("VALIDATION_ERROR");
  });

  it("answers 404 to an unknown token", async () => {
    const res = await postWebhook("brevo", "no-such-token-000000000", BREVO.delivered);
    expect(res.status).toBe(404);
  });
});
