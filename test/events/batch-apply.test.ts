import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, asc, count, eq, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { consumeEvents } from "../../queues/events";
import type { EventMessage } from "../../src/contracts/queue-messages";
import { events, interactions, scoreHistory } from "../../src/db/schema";
import { resetClock } from "../../src/lib/clock";
import { readUsage, resetUsage } from "../../src/lib/metering";
import { seamed, setTestSeams } from "../../src/lib/seams";
import { ingestEmailEvent } from "../../src/services/events/ingest/api";
import { db, type EventsOrg, eventsOrg, getContactRow, getMessage, seedContact } from "../helpers/events";

beforeEach(() => resetClock());

/** A postmark message with its events, in this order: a reader opens twice, clicks, opens again. */
const STORY = [
  ["sent", "09:00"],
  ["delivered", "09:01"],
  ["opened", "10:00"],
  ["opened", "10:05"],
  ["clicked", "10:06"],
  ["opened", "11:00"],
] as const;

const NO_QUEUE = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;

async function tell(org: EventsOrg, email: string) {
  const contact = await seedContact(org.tenant, email);
  let messageId = "";
  for (const [event, hhmm] of STORY) {
    // Stored as POST /api/v1/email-events stores them, not queued: this test is the consumer.
    const res = await ingestEmailEvent(org.tenant, NO_QUEUE, {
      provider: "postmark",
      external_id: `pm-${org.id}`,
      contact_id: contact.id,
      event,
      occurred_at: `2026-03-01T${hhmm}:00Z`,
      subject: "Spring news",
    });
    messageId = res.message_id;
  }
  return { contact, messageId };
}

/** The organization's unprocessed events, oldest first. */
const pending = (orgId: string) =>
  db
    .select({ id: events.id, organizationId: events.organizationId })
    .from(events)
    .where(and(eq(events.organizationId, orgId), isNull(events.processedAt)))
    .orderBy(asc(events.id))
    .all();

/** Consume these events as one queue batch, metered: the D1 statements it ran and the rows they wrote. */
async function consume(rows: { id: string; organizationId: string }[]) {
  const batch = createMessageBatch<EventMessage>(
    "edge-mail-events",
    rows.map((r, i) => ({
      id: `m-${r.id}-${i}`,
      timestamp: new Date(),
      attempts: 1,
      body: { event_id: r.id, organization_id: r.organizationId },
    })),
  );
  setTestSeams({ meter: true });
  resetUsage();
  try {
    await consumeEvents(batch as MessageBatch<unknown>, seamed(env));
    const u = readUsage();
    return { queries: u.d1Queries, written: u.d1RowsWritten };
  } finally {
    setTestSeams({});
  }
}

async function outcome(org: EventsOrg, contactId: string, messageId: string) {
  const [inbox] = await db
    .select({ n: count() })
    .from(interactions)
    .where(eq(interactions.organizationId, org.id));
  const [history] = await db
    .select({ n: count() })
    .from(scoreHistory)
    .where(eq(scoreHistory.organizationId, org.id));
  const m = await getMessage(messageId);
  const c = await getContactRow(contactId);
  return {
    message: {
      status: m?.status,
      openCount: m?.openCount,
      clickCount: m?.clickCount,
      firstOpenedAt: m?.firstOpenedAt,
      lastOpenedAt: m?.lastOpenedAt,
      deliveredAt: m?.deliveredAt,
    },
    contact: { score: c?.score, lastOpenedAt: c?.lastOpenedAt, lastClickedAt: c?.lastClickedAt },
    inboxItems: inbox?.n,
    scoreChanges: history?.n,
    unprocessed: (await pending(org.id)).length,
  };
}

describe("EVENTS consumer: a batch applied at once", () => {
  it("gives what one event at a time gives (the first open counted once), in fewer D1 statements", async () => {
    const one = await eventsOrg();
    const all = await eventsOrg();
    const a = await tell(one, "one@example.com");
    const b = await tell(all, "all@example.com");

    const oneByOne = { queries: 0, written: 0 };
    for (const row of await pending(one.id)) {
      const u = await consume([row]);
      oneByOne.queries += u.queries;
      oneByOne.written += u.written;
    }
    const rows = await pending(all.id);
    expect(rows).toHaveLength(STORY.length);
    const batched = await consume(rows);

    const expected = await outcome(one, a.contact.id, a.messageId);
    expect(expected).toMatchObject({
      message: { status: "clicked", openCount: 3, clickCount: 1 },
      inboxItems: 1,
      unprocessed: 0,
    });
    expect(await outcome(all, b.contact.id, b.messageId)).toEqual(expected);
    // One at a time, each event reads its row and its message; at once, the batch reads them in
    // one query each and writes in one transaction. The rows written are the same: 31 for this
    // story (the first open's inbox item is 2 rows since interactions is WITHOUT ROWID; it was 3).
    expect(batched.queries).toBeLessThan(oneByOne.queries - STORY.length);
    // The six applied marks are one statement at the end of the write (apply/mark.ts): 29 in all,
    // 34 when each event had its own.
    expect(batched.queries).toBeLessThanOrEqual(29);
    expect(batched.written).toBe(oneByOne.written);
    expect(batched.written).toBeLessThanOrEqual(31);
  });

  it("applies an event named twice in a batch once, and a second batch changes nothing", async () => {
    const org = await eventsOrg();
    const { contact, messageId } = await tell(org, "twice@example.com");
    const rows = await pending(org.id);
    await consume([...rows, ...rows]);
    const after = await outcome(org, contact.id, messageId);
    expect(after).toMatchObject({ message: { openCount: 3, clickCount: 1 }, inboxItems: 1, unprocessed: 0 });
    await consume(rows);
    expect(await outcome(org, contact.id, messageId)).toEqual(after);
  });
});
