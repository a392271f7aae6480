import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { events } from "../../src/db/schema";
import { resetClock } from "../../src/lib/clock";
import { tenantBatch } from "../../src/lib/tenant-sql";
import { markStatements } from "../../src/services/events/apply/mark";
import { ingestEmailEvent } from "../../src/services/events/ingest/api";
import { db, type EventsOrg, eventsOrg, seedContact } from "../helpers/events";

beforeEach(() => resetClock());

const NO_QUEUE = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;

/** Three stored, unapplied events of one contact's message. */
async function stored(org: EventsOrg) {
  const contact = await seedContact(org.tenant, `mark-${org.id}@example.com`);
  for (const [event, at] of [
    ["sent", "09:00"],
    ["delivered", "09:01"],
    ["opened", "10:00"],
  ] as const)
    await ingestEmailEvent(org.tenant, NO_QUEUE, {
      provider: "postmark",
      external_id: `pm-mark-${org.id}`,
      contact_id: contact.id,
      event,
      occurred_at: `2026-03-01T${at}:00Z`,
    });
  const rows = await db.select().from(events).where(eq(events.organizationId, org.id)).all();
  return { contact, rows };
}

const rowsOf = (orgId: string) => db.select().from(events).where(eq(events.organizationId, orgId)).all();

describe("the applied marks of a write (apply/mark.ts)", () => {
  it("marks many events in one statement, splits large marks, never marks twice nor another organization's", async () => {
    const org = await eventsOrg();
    const other = await eventsOrg();
    const { contact, rows } = await stored(org);
    const theirs = await stored(other);
    expect(rows).toHaveLength(3);
    // Two marks of 300 KB cannot share a statement of at most 512 KB.
    const big = `{"pad":"${"x".repeat(300 * 1024)}"}`;
    const marks = rows.map((r, i) => ({
      id: r.id,
      normalized: i < 2 ? big : `{"n":${i}}`,
      contact_id: contact.id,
      message_id: null,
    }));
    const foreign = theirs.rows.map((r) => ({
      id: r.id,
      normalized: "{}",
      contact_id: null,
      message_id: null,
    }));
    const statements = markStatements(org.tenant, [...marks, ...foreign], 1234);
    expect(statements).toHaveLength(2);
    await tenantBatch(org.tenant, statements);
    const after = await rowsOf(org.id);
    for (const r of after) {
      expect(r.processedAt).toBe(1234);
      expect(r.contactId).toBe(contact.id);
      expect(r.normalized).toBe(marks.find((m) => m.id === r.id)?.normalized);
    }
    // The other organization's events, named in the same statement, are left as they were.
    expect((await rowsOf(other.id)).every((r) => r.normalized === null && r.processedAt === null)).toBe(true);
    // A second mark of the same events changes nothing (`normalized IS NULL`).
    await tenantBatch(
      org.tenant,
      markStatements(
        org.tenant,
        marks.map((m) => ({ ...m, normalized: "null", contact_id: null })),
        99,
      ),
    );
    expect(await rowsOf(org.id)).toEqual(after);
  });
});
