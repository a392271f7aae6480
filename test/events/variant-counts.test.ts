import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, asc, eq, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { consumeEvents } from "../../queues/events";
import type { EventMessage } from "../../src/contracts/queue-messages";
import { events } from "../../src/db/schema";
import { resetClock } from "../../src/lib/clock";
import { readStatements, resetUsage } from "../../src/lib/metering";
import { seamed, setTestSeams } from "../../src/lib/seams";
import { ingestEmailEvent } from "../../src/services/events/ingest/api";
import { variantCountStatements } from "../../src/services/events/apply/variant-counts";
import { tenantBatch } from "../../src/lib/tenant-sql";
import {
  db,
  type EventsOrg,
  eventsOrg,
  seedContact,
  seedMessage,
  seedScenario,
  variantsOf,
} from "../helpers/events";

beforeEach(() => resetClock());

const NO_QUEUE = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;

const pending = (orgId: string) =>
  db
    .select({ id: events.id, organizationId: events.organizationId })
    .from(events)
    .where(and(eq(events.organizationId, orgId), isNull(events.processedAt)))
    .orderBy(asc(events.id))
    .all();

/** Consume the organization's stored events as one queue batch; answers the step_variants writes. */
async function consumeAll(org: EventsOrg) {
  const rows = await pending(org.id);
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
    const variantWrites = readStatements(200).filter(
      (s) => s.sql.startsWith("WITH step_variant_hits") || /step_variants/.test(s.sql.slice(0, 40)),
    );
    return {
      queries: variantWrites.reduce((n, s) => n + s.queries, 0),
      rows: variantWrites.reduce((n, s) => n + s.rowsWritten, 0),
    };
  } finally {
    setTestSeams({});
  }
}

describe("A/B variant counts of a batch of events (apply/variant-counts.ts)", () => {
  it("count each variant's first opens and clicks in one row write per variant, once", async () => {
    const org = await eventsOrg();
    const people = await Promise.all(
      ["a1", "a2", "a3", "b1", "b2"].map((n) => seedContact(org.tenant, `${n}-${org.id}@example.com`)),
    );
    const { scenarioId, stepId } = await seedScenario(org.tenant, { contactIds: people.map((p) => p.id) });
    const sent: { id: string; contact: string; externalId: string }[] = [];
    for (const [i, p] of people.entries()) {
      const variantName = i < 3 ? "A" : "B";
      const id = await seedMessage(org.tenant, {
        contactId: p.id,
        provider: "postmark",
        externalId: `pm-${org.id}-${i}`,
        scenarioId,
        stepOrder: 1,
        variantName,
      });
      sent.push({ id, contact: p.id, externalId: `pm-${org.id}-${i}` });
    }
    const tell = (i: number, event: "opened" | "clicked", hhmm: string) =>
      ingestEmailEvent(org.tenant, NO_QUEUE, {
        provider: "postmark",
        external_id: sent[i]?.externalId ?? "",
        contact_id: sent[i]?.contact,
        event,
        occurred_at: `2026-03-01T${hhmm}:00Z`,
      });
    // Everyone opens, the first of each variant opens again and clicks.
    for (const i of [0, 1, 2, 3, 4]) await tell(i, "opened", "10:00");
    for (const i of [0, 3]) {
      await tell(i, "opened", "10:05");
      await tell(i, "clicked", "10:06");
    }
    const before = await variantsOf(stepId);
    const writes = await consumeAll(org);
    const counts = Object.fromEntries(
      (await variantsOf(stepId)).map((v) => [v.name, { opened: v.opened, clicked: v.clicked, sent: v.sent }]),
    );
    expect(counts).toEqual({ A: { opened: 3, clicked: 1, sent: 1 }, B: { opened: 2, clicked: 1, sent: 1 } });
    // Seven counts on two variants: one statement, one row per variant (seven of each before).
    expect(writes.queries).toBe(1);
    expect(writes.rows).toBe(2);
    expect(before.every((v) => v.opened === 0 && v.clicked === 0)).toBe(true);
    expect(await pending(org.id)).toHaveLength(0);

    // Their counts written again (a second consumer that planned them before the first wrote)
    // change nothing: each hit counts only while its event is not applied.
    const applied = await db.select().from(events).where(eq(events.organizationId, org.id)).all();
    expect(applied).toHaveLength(9);
    const hits = applied.map((e, i) => ({
      event_id: e.id,
      scenario_id: scenarioId,
      step_order: 1,
      variant_name: i % 2 ? "A" : "B",
      contact_id: e.contactId,
      counter: "opened" as const,
    }));
    await tenantBatch(org.tenant, variantCountStatements(org.tenant, hits));
    expect(
      Object.fromEntries(
        (await variantsOf(stepId)).map((v) => [
          v.name,
          { opened: v.opened, clicked: v.clicked, sent: v.sent },
        ]),
      ),
    ).toEqual(counts);
  });
});
