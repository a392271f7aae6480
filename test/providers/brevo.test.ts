import { describe, expect, it } from "vitest";
import { createBrevoProvider, idempotencyUuid, normalizeBrevoMessageId } from "../../src/providers/brevo";
import type { OutboundEmail } from "../../src/providers/types";
import { HttpResponse, http, network, respondInOrder, useNetwork } from "../helpers/network";

useNetwork();

const URL = "https://api.brevo.com/v3/smtp/email";
const key = "ab".repeat(32);
const email: OutboundEmail = {
  messageId: "msg_abc",
  organizationId: "org_xyz",
  idempotencyKey: key,
  from: { email: "news@sender.example", name: "Sender" },
  to: "ada@example.com",
  replyTo: "help@sender.example",
  subject: "Hello",
  html: "<p>Hello</p>",
  text: "Hello",
  headers: {
    "X-Edge-Mail-Id": "msg_abc",
    "List-Unsubscribe": "<https://mail.example.test/u/tok>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  },
  raw: "unused by brevo",
};
const brevo = createBrevoProvider({ apiKey: "xkeysib-secret-key" });

describe("Brevo /v3/smtp/email", () => {
  it("sends the api-key header, sender, to, parts, unsubscribe and id headers, idempotency key and tags", async () => {
    const seen = respondInOrder("post", URL, [
      HttpResponse.json({ messageId: "<202611201158.123@smtp-relay.mailin.fr>" }, { status: 201 }),
    ]);
    expect(await brevo.send(email)).toEqual({
      ok: true,
      externalId: "202611201158.123@smtp-relay.mailin.fr",
    });
    const req = seen[0];
    expect(req?.headers.get("api-key")).toBe("xkeysib-secret-key");
    expect(req?.headers.get("content-type")).toBe("application/json");
    const body = JSON.parse(req?.body ?? "{}");
    expect(body).toMatchObject({
      sender: { email: "news@sender.example", name: "Sender" },
      to: [{ email: "ada@example.com" }],
      replyTo: { email: "help@sender.example" },
      subject: "Hello",
      htmlContent: "<p>Hello</p>",
      textContent: "Hello",
      tags: ["org:org_xyz", "msg:msg_abc"],
    });
    expect(body.headers).toEqual({
      "X-Edge-Mail-Id": "msg_abc",
      "X-Mailin-custom": "msg_abc",
      "List-Unsubscribe": "<https://mail.example.test/u/tok>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      idempotencyKey: idempotencyUuid(key),
    });
    expect(body.headers.idempotencyKey).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(idempotencyUuid(key)).toBe(idempotencyUuid(key));
    expect(idempotencyUuid("cd".repeat(32))).not.toBe(idempotencyUuid(key));
  });

  it("normalizes the messageId's angle brackets", () => {
    expect(normalizeBrevoMessageId("<a.b@smtp-relay.mailin.fr>")).toBe("a.b@smtp-relay.mailin.fr");
    expect(normalizeBrevoMessageId("a.b@smtp-relay.mailin.fr")).toBe("a.b@smtp-relay.mailin.fr");
  });

  it("429 is retryable after x-sib-ratelimit-reset; 5xx and network errors are retryable", async () => {
    respondInOrder("post", URL, [
      HttpResponse.json(
        { code: "too_many_requests", message: "rate limited" },
        {
          status: 429,
          headers: {
            "x-sib-ratelimit-limit": "10",
            "x-sib-ratelimit-remaining": "0",
            "x-sib-ratelimit-reset": "7",
          },
        },
      ),
    ]);
    expect(await brevo.send(email)).toEqual({
      ok: false,
      retryable: true,
      reason: "brevo 429 too_many_requests: rate limited",
      retryAfterSeconds: 7,
      status: 429,
    });
    respondInOrder("post", URL, [HttpResponse.json({ message: "oops" }, { status: 502 })]);
    expect(await brevo.send(email)).toMatchObject({ retryable: true });
    network.use(http.post(URL, () => HttpResponse.error()));
    expect(await brevo.send(email)).toMatchObject({ retryable: true });
  });

  it("a 400 (invalid address, unverified sender) is permanent with Brevo's reason", async () => {
    respondInOrder("post", URL, [
      HttpResponse.json({ code: "invalid_parameter", message: "email is not valid in to" }, { status: 400 }),
    ]);
    expect(await brevo.send(email)).toEqual({
      ok: false,
      retryable: false,
      reason: "brevo 400 invalid_parameter: email is not valid in to",
      status: 400,
    });
  });

  it("BREVO_API_BASE overrides the base URL", async () => {
    const seen = respondInOrder("post", "http://127.0.0.1:9/v3/smtp/email", [
      HttpResponse.json({ messageId: "<x@y>" }, { status: 201 }),
    ]);
    const local = createBrevoProvider({ apiKey: "k".repeat(12) }, { baseUrl: "http://127.0.0.1:9" });
    expect(await local.send(email)).toEqual({ ok: true, externalId: "x@y" });
    expect(seen).toHaveLength(1);
  });
});
