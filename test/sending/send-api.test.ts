import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { signOpen } from "../../src/services/tracking/tokens";
import { call, createOrg, json, type TestOrg } from "../helpers/api";
import { drainEvents } from "../helpers/events";
import { drainSend, useScenarioQueues } from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.parse("2031-02-03T10:00:00Z");

const receipt = async (org: TestOrg) =>
  json<{ id: string }>("/api/v1/templates", {
    key: org.key,
    body: {
      name: "Receipt",
      subject: "Your order {{ data.order.id }}",
      html: '<p>Hi {{ first_name | default: "there" }}, total {{ data.order.total }}. <a href="https://shop.example/orders">Orders</a></p>',
    },
    expect: 201,
  });

const send = (org: TestOrg, body: unknown, expect?: number) =>
  json("/api/v1/send", { key: org.key, body, expect });

async function rawOf(org: TestOrg, messageId: string) {
  return (await json(`/api/v1/messages/${messageId}`, { key: org.key, expect: 200 })).raw as string;
}

describe("POST /api/v1/send", () => {
  it("sends a templated receipt now: the contact is created, Liquid gets data.*, no List-Unsubscribe, the open scores", async () => {
    setClock(T0);
    const org = await createOrg();
    const t = await receipt(org);
    const res = await send(
      org,
      {
        to: { email: "Ada@Example.com", name: "Ada" },
        template_id: t.id,
        data: { order: { id: "A-1", total: "42 EUR" } },
      },
      202,
    );
    expect(res).toEqual({ message_id: expect.stringMatching(/^msg_/), duplicate: false });
    expect(await drainSend(q)).toBe(1);
    const msg = await json(`/api/v1/messages/${res.message_id}`, { key: org.key, expect: 200 });
    expect(msg).toMatchObject({ status: "sent", subject: "Your order A-1" });
    const raw = await rawOf(org, res.message_id);
    expect(raw).not.toMatch(/^List-Unsubscribe/m);
    const contact = (await json("/api/v1/contacts?email=ada@example.com", { key: org.key })).items[0];
    expect(contact).toMatchObject({ email: "Ada@Example.com", first_name: "Ada", score: 0 });
    // The open, as the pixel reports it, shows on the contact's score.
    const open = await call(`/t/o/${await signOpen(env.ENCRYPTION_KEY, { o: org.id, m: res.message_id })}`, {
      headers: {
        "User-Agent":
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15",
      },
    });
    expect(open.status).toBe(200);
    await drainEvents();
    expect((await json(`/api/v1/contacts/${contact.id}`, { key: org.key })).score).toBe(3);
    // Inline content, marketing (transactional false): List-Unsubscribe and the unsubscribe link.
    const m2 = await send(
      org,
      {
        to: "ada@example.com",
        subject: "News",
        html: "<p>{{ data.x }}</p>",
        data: { x: "hello" },
        transactional: false,
        tags: ["news"],
      },
      202,
    );
    await drainSend(q);
    const raw2 = await rawOf(org, m2.message_id);
    expect(raw2).toMatch(/^List-Unsubscribe: <https?:\/\/[^>]+\/u\/[^>]+>/m);
  });

  it("20 concurrent identical requests make one send and answer the same message id", async () => {
    setClock(T0);
    const org = await createOrg();
    const t = await receipt(org);
    const body = {
      to: "bob@example.com",
      template_id: t.id,
      data: { order: { id: "B-7", total: "1" } },
      idempotency_key: "receipt-B-7",
    };
    const answers = await Promise.all(Array.from({ length: 20 }, () => send(org, body, 202)));
    const ids = new Set(answers.map((a) => a.message_id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    await drainSend(q);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE organization_id = ?1")
      .bind(org.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
    const ledger = await env.DB.prepare(
      "SELECT count(*) AS n FROM operation_ledger WHERE organization_id = ?1",
    )
      .bind(org.id)
      .first<{ n: number }>();
    expect(ledger?.n).toBe(1);
    // 24 hours later the key starts a new send.
    setClock(T0 + 25 * 3_600_000);
    const later = await send(org, body, 202);
    expect(later.duplicate).toBe(false);
    expect(later.message_id).not.toBe([...ids][0]);
  });

  it("refuses a suppressed address, a foreign template, header injection, oversized data: 422, never a 500", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const foreign = await receipt(other);
    await json("/api/v1/suppressions", { key: org.key, body: { emails: ["gone@example.com"] }, expect: 200 });
    const sup = await send(org, { to: "GONE@example.com", subject: "Hi", html: "<p>x</p>" }, 422);
    expect(sup.error.code).toBe("SUPPRESSED");
    expect((await send(org, { to: "a@example.com", template_id: foreign.id }, 422)).error.code).toBe(
      "TEMPLATE_NOT_FOUND",
    );
    const bad = [
      { to: "a@example.com", subject: "Hi\r\nBcc: x@evil.example", html: "<p>x</p>" },
      { to: "a@example.com", subject: "Hi", html: "<p>x</p>", from_name: "A\nB" },
      { to: "not an address", subject: "Hi", html: "<p>x</p>" },
      { to: "a@example.com", subject: "Hi", html: "<p>x</p>", data: { big: "x".repeat(40_000) } },
      { to: "a@example.com" },
      { to: "a@example.com", template_id: foreign.id, subject: "both" },
      { to: "a@example.com", subject: "Hi", html: "<p>x</p>", tags: ["has space"] },
    ];
    for (const body of bad)
      expect((await send(org, body, 422)).error.code, JSON.stringify(body).slice(0, 80)).toBe(
        "VALIDATION_ERROR",
      );
    expect(q.send.messages).toHaveLength(0);
  });

  it("honours a suppression added after the request: the send is skipped", async () => {
    const org = await createOrg();
    const res = await send(org, { to: "late@example.com", subject: "Hi", html: "<p>x</p>" }, 202);
    await json("/api/v1/suppressions", { key: org.key, body: { emails: ["late@example.com"] }, expect: 200 });
    await drainSend(q);
    const row = await env.DB.prepare("SELECT status, reason FROM operation_ledger WHERE organization_id = ?1")
      .bind(org.id)
      .first<{ status: string; reason: string }>();
    expect(row).toEqual({ status: "skipped", reason: "address is on the suppression list" });
    await json(`/api/v1/messages/${res.message_id}`, { key: org.key, expect: 404 });
  });
});
