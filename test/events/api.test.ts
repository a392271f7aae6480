import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { consumeEvents, EVENTS_BACKOFF } from "../../queues/events";
import { backoffSeconds } from "../../src/lib/result";
import { consumeEventsDlq } from "../../queues/events-dlq";
import type { EventMessage } from "../../src/contracts/queue-messages";
import { events } from "../../src/db/schema";
import { resetClock, setClock } from "../../src/lib/clock";
import { eventSubscribers } from "../../src/services/events/consume/subscribers";
import { json } from "../helpers/api";
import {
  db,
  drainEvents,
  eventRows,
  eventsOrg,
  getContactRow,
  getMessage,
  seedContact,
  seedMessage,
} from "../helpers/events";
import { isSuppressed } from "../../src/services/suppressions/store";

beforeEach(() => resetClock());

const batchOf = (rows: { id: string; organizationId: string }[], attempts = 1) =>
  createMessageBatch<EventMessage>(
    "edge-mail-events",
    rows.map((r, i) => ({
      id: `msg-${i}`,
      timestamp: new Date(),
      attempts,
      body: { event_id: r.id, organization_id: r.organizationId },
    })),
  );

describe("POST /api/v1/events (behaviour)", () => {
  it("accepts a purchase with 202, stores it once per idempotency key, and updates last activity", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "buyer@example.com");
    const body = {
      type: "purchase",
      email: "Buyer@Example.com",
      occurred_at: "2026-03-02T10:00:00Z",
      properties: { amount: 79.5, currency: "EUR" },
      idempotency_key: "order-1001",
    };
    const first = await json("/api/v1/events", { key: org.key, body, expect: 202 });
    expect(first).toMatchObject({ duplicate: false });
    expect(first.id).toMatch(/^ev_/);
    expect(await json("/api/v1/events", { key: org.key, body, expect: 202 })).toEqual({
      id: null,
      duplicate: true,
    });
    await drainEvents();
    const rows = await eventRows(org.id);
    expect(rows).toMatchObject([{ source: "api", type: "purchase", contactId: contact.id }]);
    expect(JSON.parse(rows[0]?.normalized ?? "null").event).toMatchObject({
      type: "purchase",
      properties: { amount: 79.5 },
    });
    expect((await getContactRow(contact.id))?.lastEventAt).toBe(Date.parse("2026-03-02T10:00:00Z"));
  });

  it("validates: type, a contact, a purchase amount; another organization's contact is not found", async () => {
    const org = await eventsOrg();
    const other = await eventsOrg();
    const theirs = await seedContact(other.tenant, "theirs@example.com");
    const ok = await seedContact(org.tenant, "ok@example.com");
    for (const body of [
      { type: "login", contact_id: ok.id },
      { type: "page_visit" },
      { type: "purchase", contact_id: ok.id, properties: {} },
      { type: "purchase", contact_id: ok.id, properties: { amount: "12" } },
      { type: "page_visit", contact_id: ok.id, occurred_at: "yesterday" },
    ]) {
      const res = await json("/api/v1/events", { key: org.key, body });
      expect(res.error.code, JSON.stringify(body)).toBe("VALIDATION_ERROR");
    }
    expect(
      (
        await json("/api/v1/events", {
          key: org.key,
          body: { type: "custom", contact_id: theirs.id },
          expect: 404,
        })
      ).error.code,
    ).toBe("NOT_FOUND");
    await json("/api/v1/events", {
      key: org.key,
      body: { type: "form_submit", email: "nobody@example.com" },
      expect: 404,
    });
    await json("/api/v1/events", { key: org.key, raw: "{", expect: 400 });
    expect(await eventRows(org.id)).toHaveLength(0);
  });
});

describe("POST /api/v1/email-events (normalized ingest)", () => {
  it("upserts the message by (provider, external_id) and applies the events", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "lead@example.com");
    const base = { provider: "postmark", external_id: `pm-${org.id}`, contact_id: contact.id };
    const sent = await json("/api/v1/email-events", {
      key: org.key,
      body: { ...base, event: "sent", occurred_at: "2026-03-01T09:00:00Z", subject: "Hi" },
      expect: 202,
    });
    const opened = await json("/api/v1/email-events", {
      key: org.key,
      body: { ...base, event: "opened", occurred_at: "2026-03-01T10:00:00Z" },
      expect: 202,
    });
    expect(opened.message_id).toBe(sent.message_id);
    const dup = await json("/api/v1/email-events", {
      key: org.key,
      body: { ...base, event: "opened", occurred_at: "2026-03-01T10:00:00Z" },
      expect: 202,
    });
    expect(dup.duplicate).toBe(true);
    await drainEvents();
    const m = await getMessage(sent.message_id);
    expect(m).toMatchObject({
      provider: "postmark",
      subject: "Hi",
      contactId: contact.id,
      status: "opened",
      openCount: 1,
    });
    expect(m?.sentAt).toBe(Date.parse("2026-03-01T09:00:00Z"));
    expect((await getContactRow(contact.id))?.score).toBe(3);

    await json("/api/v1/email-events", {
      key: org.key,
      body: { ...base, event: "bounced", occurred_at: "2026-03-02T09:00:00Z" },
      expect: 202,
    });
    await drainEvents();
    expect((await getMessage(sent.message_id))?.status).toBe("bounced");
    expect(await getContactRow(contact.id)).toMatchObject({ score: 0, status: "bounced" });
    expect(await isSuppressed(org.tenant, "lead@example.com")).toBe(true);
  });

  it("keeps provider message ids per organization (no 409 leaks another's id), 422 on bad input", async () => {
    const a = await eventsOrg();
    const b = await eventsOrg();
    const body = {
      provider: "mailgun",
      external_id: `shared-${a.id}`,
      event: "sent",
      occurred_at: "2026-03-01T09:00:00Z",
    };
    const first = await json("/api/v1/email-events", { key: a.key, body, expect: 202 });
    // The same id in another organization is that organization's own message: 202, never a 409
    // that would tell it the id exists elsewhere (or let it claim the id first).
    const second = await json("/api/v1/email-events", { key: b.key, body, expect: 202 });
    expect(second.message_id).not.toBe(first.message_id);
    expect(await getMessage(first.message_id)).toMatchObject({ organizationId: a.id });
    expect(await getMessage(second.message_id)).toMatchObject({ organizationId: b.id });
    await json("/api/v1/email-events", { key: b.key, body: { ...body, event: "exploded" }, expect: 422 });
    await json("/api/v1/email-events", {
      key: b.key,
      body: { ...body, occurred_at: undefined },
      expect: 422,
    });
    expect(await eventRows(b.id)).toHaveLength(1);
  });

  it("is described in the OpenAPI document with the other event routes", async () => {
    const doc = await json<{ paths: Record<string, unknown> }>("/openapi.json", { expect: 200 });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/events",
        "/api/v1/email-events",
        "/api/v1/leads/hot",
        "/api/v1/settings/scoring",
        "/api/v1/settings/brevo-webhook",
        "/api/v1/contacts/{id}/score-history",
      ]),
    );
  });
});

describe("EVENTS consumer", () => {
  it("applies a redelivered event once, also when the first run stopped before marking it processed", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "twice@example.com");
    const messageId = await seedMessage(org.tenant, { contactId: contact.id });
    await json("/api/v1/email-events", {
      key: org.key,
      body: {
        provider: "log",
        external_id: messageId,
        event: "clicked",
        occurred_at: "2026-03-01T10:00:00Z",
      },
      expect: 202,
    });
    await drainEvents();
    // As if the worker died after the effects committed but before processed_at was written.
    await db.update(events).set({ processedAt: null }).where(eq(events.organizationId, org.id));
    const rows = await eventRows(org.id);
    // Two consumers at once on the same event, then a plain redelivery.
    await Promise.all([
      consumeEvents(batchOf(rows, 2) as MessageBatch<unknown>, env),
      consumeEvents(batchOf(rows, 2) as MessageBatch<unknown>, env),
    ]);
    await drainEvents();
    expect(await getMessage(messageId)).toMatchObject({ clickCount: 1 });
    expect((await getContactRow(contact.id))?.score).toBe(8);
    expect((await eventRows(org.id))[0]?.processedAt).not.toBeNull();
  });

  it("retries with backoff when a subscriber fails, and the DLQ records the failure and acks", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "fails@example.com");
    await json("/api/v1/events", {
      key: org.key,
      body: { type: "custom", contact_id: contact.id },
      expect: 202,
    });
    const failing = {
      name: "test-failure",
      handle: async () => Promise.reject(new Error("rules engine down")),
    };
    eventSubscribers.push(failing);
    try {
      const rows = await eventRows(org.id);
      const batch = batchOf(rows, 3);
      const delays: (QueueRetryOptions | undefined)[] = [];
      for (const m of batch.messages) {
        const retry = m.retry.bind(m);
        m.retry = (options) => {
          delays.push(options);
          retry(options);
        };
      }
      const ctx = createExecutionContext();
      await consumeEvents(batch as MessageBatch<unknown>, env);
      const result = await getQueueResult(batch, ctx);
      expect(result.retryMessages).toEqual([{ msgId: "msg-0" }]);
      expect(result.explicitAcks).toEqual([]);
      expect(result.ackAll).toBe(false);
      // Third attempt: up to 5 s * 2^2, with equal jitter (at least half of it).
      expect(delays).toHaveLength(1);
      expect(delays[0]?.delaySeconds).toBeGreaterThanOrEqual(10);
      expect(delays[0]?.delaySeconds).toBeLessThanOrEqual(20);
      const longest = (n: number) =>
        backoffSeconds(n, undefined, { ...EVENTS_BACKOFF, random: () => 0.999999 });
      expect([1, 2, 5, 9, 20].map(longest)).toEqual([5, 10, 80, 600, 600]);

      const dlq = createMessageBatch<EventMessage>("edge-mail-events-dlq", [
        {
          id: "d-0",
          timestamp: new Date(),
          attempts: 1,
          body: { event_id: rows[0]?.id ?? "", organization_id: org.id },
        },
        {
          id: "d-1",
          timestamp: new Date(),
          attempts: 1,
          body: { nonsense: true } as unknown as EventMessage,
        },
      ]);
      const dlqCtx = createExecutionContext();
      await consumeEventsDlq(dlq as MessageBatch<unknown>, env);
      expect((await getQueueResult(dlq, dlqCtx)).explicitAcks.sort()).toEqual(["d-0", "d-1"]);
      expect((await eventRows(org.id))[0]).toMatchObject({ error: "rules engine down", processedAt: null });
    } finally {
      eventSubscribers.splice(eventSubscribers.indexOf(failing), 1);
    }
    // Once the subscriber works again, a replay completes the event; its effects were applied once.
    setClock(Date.parse("2026-03-03T00:00:00Z"));
    await drainEvents();
    expect((await eventRows(org.id))[0]?.processedAt).toBe(Date.parse("2026-03-03T00:00:00Z"));
  });
});
