import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, asc, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { consumeEvents } from "../../queues/events";
import type { EventMessage } from "../../src/contracts/queue-messages";
import { events } from "../../src/db/schema";
import { EVENTS_PER_TURN } from "../../src/services/events/consume/batch";
import { eventSubscribers, useEventSubscribers } from "../../src/services/events/consume/subscribers";
import { ingestEmailEvent } from "../../src/services/events/ingest/api";
import { db, eventsOrg, seedContact } from "../helpers/events";

const NO_QUEUE = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;
const saved = [...eventSubscribers];
afterEach(() => useEventSubscribers(saved));

describe("EVENTS consumer turns", () => {
  it("lets the event loop turn while a large batch is told to its subscribers", async () => {
    const org = await eventsOrg();
    // 60 delivered events (one per message), stored as the email-events API stores them, not queued.
    for (let i = 0; i < 60; i++) {
      const contact = await seedContact(org.tenant, `turns-${i}@example.com`);
      await ingestEmailEvent(org.tenant, NO_QUEUE, {
        provider: "postmark",
        external_id: `pm-turns-${i}`,
        contact_id: contact.id,
        event: "delivered",
        occurred_at: "2026-03-01T09:00:00Z",
      });
    }
    const rows = await db
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.organizationId, org.id), isNull(events.processedAt)))
      .orderBy(asc(events.id))
      .all();
    expect(rows).toHaveLength(60);

    // A subscriber with nothing to wait for notes how many timer callbacks have run so far.
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    const seen: number[] = [];
    useEventSubscribers([{ name: "recorder", handle: async () => void seen.push(ticks) }]);

    const batch = createMessageBatch<EventMessage>(
      "edge-mail-events",
      rows.map((r, i) => ({
        id: `turns-${i}`,
        timestamp: new Date(),
        attempts: 1,
        body: { event_id: r.id, organization_id: org.id },
      })),
    );
    try {
      await consumeEvents(batch as MessageBatch<unknown>, env);
    } finally {
      ticking = false;
    }
    expect(seen).toHaveLength(60);
    // Told in order, with a turn of the event loop before every EVENTS_PER_TURN-th event: the timer
    // ran between the groups (one long task would have seen the same count for all 60).
    const groups = new Set(seen);
    expect(groups.size).toBeGreaterThanOrEqual(Math.ceil(60 / EVENTS_PER_TURN));
    for (let i = EVENTS_PER_TURN; i < seen.length; i += EVENTS_PER_TURN)
      expect(seen[i]).toBeGreaterThan(seen[i - 1] as number);
  });
});
