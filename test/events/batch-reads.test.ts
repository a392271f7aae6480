import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, asc, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { consumeEvents } from "../../queues/events";
import type { EventMessage } from "../../src/contracts/queue-messages";
import { contacts, events } from "../../src/db/schema";
import { readStatements, resetUsage } from "../../src/lib/metering";
import { seamed, setTestSeams } from "../../src/lib/seams";
import { ingestEmailEvent } from "../../src/services/events/ingest/api";
import { ingestBrevoDelivery } from "../../src/services/events/ingest/brevo";
import { db, type EventsOrg, eventsOrg, seedContact, seedMessage } from "../helpers/events";
import { makeRule } from "../helpers/rules";

const NO_QUEUE = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;

const pending = (orgId: string) =>
  db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.organizationId, orgId), isNull(events.processedAt)))
    .orderBy(asc(events.id))
    .all();

/**
 * The organization's pending events as one EVENTS message (one delivery), metered: its statements
 * (their SQL cut at 300 characters: a select is known by its column list).
 */
async function consumeDelivery(org: EventsOrg) {
  const ids = (await pending(org.id)).map((r) => r.id);
  const batch = createMessageBatch<EventMessage>("edge-mail-events", [
    {
      id: `m-${ids[0]}`,
      timestamp: new Date(),
      attempts: 1,
      body: { event_ids: ids, organization_id: org.id },
    },
  ]);
  setTestSeams({ meter: true });
  resetUsage();
  try {
    await consumeEvents(batch as MessageBatch<unknown>, seamed(env));
    return readStatements(500);
  } finally {
    setTestSeams({});
  }
}

/** n contacts, each with a Brevo message (as POST /api/v1/email-events records one), applied. */
async function withMessages(org: EventsOrg, n: number, prefix: string) {
  for (let i = 0; i < n; i++) {
    const c = await seedContact(org.tenant, `${prefix}${i}@example.com`);
    await ingestEmailEvent(org.tenant, NO_QUEUE, {
      provider: "brevo",
      external_id: `${prefix}${i}@smtp-relay.mailin.fr`,
      contact_id: c.id,
      event: "sent",
      occurred_at: "2026-03-01T09:00:00Z",
    });
  }
  await consumeDelivery(org);
}

/**
 * One Brevo delivery naming those messages (by index) by Brevo's message-id: even ones opened, odd
 * ones delivered.
 */
async function brevoDelivery(org: EventsOrg, prefix: string, indices: number[], at = "2026-03-01T10:00:00Z") {
  const ts = Date.parse(at);
  const body = indices.map((i) => ({
    event: i % 2 ? "delivered" : "opened",
    email: `${prefix}${i}@example.com`,
    id: 1,
    ts_epoch: ts + i,
    "message-id": `<${prefix}${i}@smtp-relay.mailin.fr>`,
    subject: "Spring",
    tag: "",
  }));
  const out = await ingestBrevoDelivery(org.tenant, NO_QUEUE, JSON.stringify(body), new Headers());
  expect(out.status).toBe(200);
}

/** A read of messages with their contacts: the batch's fixed-text prefetch or a single builder read. */
const MESSAGE_READ =
  /^(select "messages"\."id", "messages"\."organization_id"|SELECT "m"\."id", "m"\."organization_id")/;

const queriesOf = (statements: { sql: string; queries: number }[], re: RegExp) =>
  statements.filter((s) => re.test(s.sql)).reduce((n, s) => n + s.queries, 0);

/** The contacts the email_opened rule tagged, by address. */
const taggedOpened = async (orgId: string, prefix: string) =>
  (
    await db
      .select({ email: contacts.email, tags: contacts.tags })
      .from(contacts)
      .where(eq(contacts.organizationId, orgId))
      .all()
  )
    .filter((c) => c.email.startsWith(prefix) && JSON.parse(c.tags).includes("opened-b"))
    .map((c) => c.email);

describe("EVENTS consumer: what a batch reads once", () => {
  it("a 50-event Brevo delivery reads its messages in 2 queries, a trigger's rules and the event journeys once; every open still fires the rule", async () => {
    const org = await eventsOrg();
    await withMessages(org, 50, "rb");
    await makeRule(org, {
      trigger: "email_opened",
      actions: [{ type: "add_tag", config: { tag: "opened-b" }, delay_minutes: 0 }],
    });
    await brevoDelivery(
      org,
      "rb",
      Array.from({ length: 50 }, (_, i) => i),
    );
    const statements = await consumeDelivery(org);
    // 45 Brevo ids (each in its two forms) per query: 2 queries for 50 messages, not one per event.
    expect(queriesOf(statements, MESSAGE_READ)).toBeLessThanOrEqual(2);
    // The rules of each trigger, once each for the batch: email_opened, lead_score_high (the opens
    // raise the score) and tag_added (the rule's action); one per event before (75 here).
    expect(
      queriesOf(statements, /^select "id", "organization_id", "name", "trigger", "trigger_config"/),
    ).toBeLessThanOrEqual(3);
    // The journeys an event enters (the only scenarios read here), once for the batch.
    expect(queriesOf(statements, /^select "id", "organization_id", "name", "status", "paused_reason"/)).toBe(
      1,
    );
    expect((await pending(org.id)).length).toBe(0);
    const tagged = new Set(await taggedOpened(org.id, "rb"));
    expect([...tagged].sort()).toEqual(Array.from({ length: 25 }, (_, i) => `rb${2 * i}@example.com`).sort());
  });

  it("a rule created between two batches fires for the second: nothing is kept from one batch to the next", async () => {
    const org = await eventsOrg();
    await withMessages(org, 4, "rc");
    await brevoDelivery(org, "rc", [0, 1]);
    await consumeDelivery(org);
    expect(await taggedOpened(org.id, "rc")).toEqual([]);
    await makeRule(org, {
      trigger: "email_opened",
      actions: [{ type: "add_tag", config: { tag: "opened-b" }, delay_minutes: 0 }],
    });
    // rc2 opened (rc3 delivered): the second delivery's open fires the new rule.
    await brevoDelivery(org, "rc", [2, 3], "2026-03-01T11:00:00Z");
    await consumeDelivery(org);
    expect(await taggedOpened(org.id, "rc")).toEqual(["rc2@example.com"]);
  });

  it("a batch naming messages by our id reads each by its key, not every message of the organization", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "rk@example.com");
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) ids.push(await seedMessage(org.tenant, { contactId: contact.id }));
    // Ten deliveries of our own messages, named by X-Mailin-custom (the Brevo provider sets it).
    const ts = Date.parse("2026-03-01T12:00:00Z");
    const body = ids.slice(0, 10).map((id, i) => ({
      event: "delivered",
      email: "rk@example.com",
      ts_epoch: ts + i,
      "message-id": `<rk${i}@smtp-relay.mailin.fr>`,
      "X-Mailin-custom": id,
    }));
    await ingestBrevoDelivery(org.tenant, NO_QUEUE, JSON.stringify(body), new Headers());
    const statements = await consumeDelivery(org);
    const reads = statements.filter((s) => MESSAGE_READ.test(s.sql));
    expect(reads.reduce((n, s) => n + s.queries, 0)).toBe(1);
    // A key seek per message and its contact; a walk of the organization's messages reads all 150.
    expect(reads.reduce((n, s) => n + s.rowsRead, 0)).toBeLessThanOrEqual(30);
    expect((await pending(org.id)).length).toBe(0);
  });
});
