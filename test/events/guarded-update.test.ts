import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { events } from "../../src/db/schema";
import { resetClock } from "../../src/lib/clock";
import { builtStatement, tenantBatch } from "../../src/lib/tenant-sql";
import { type ApplyContext, planEvent } from "../../src/services/events/apply/event";
import { isBuilder, type PlanStatement } from "../../src/services/events/apply/plan-statement";
import { DEFAULT_SCORING } from "../../src/services/events/apply/scoring";
import { ingestEmailEvent } from "../../src/services/events/ingest/api";
import { normalizeRow } from "../../src/services/events/normalize/row";
import { getAttributionSettings } from "../../src/services/settings/attribution";
import { db, eventsOrg, getContactRow, getMessage, seedContact } from "../helpers/events";

beforeEach(() => resetClock());

const NO_QUEUE = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;

describe("an event's fixed-text writes (apply/guarded-update.ts)", () => {
  it("change nothing when a second plan of the same event is written after the first (two consumers at once)", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "guard@example.com");
    const ingest = (event: "delivered" | "clicked", at: string) =>
      ingestEmailEvent(org.tenant, NO_QUEUE, {
        provider: "postmark",
        external_id: `pm-guard-${org.id}`,
        contact_id: contact.id,
        event,
        occurred_at: at,
        subject: "Guarded",
      });
    await ingest("delivered", "2026-03-01T09:00:00Z");
    const { message_id: messageId } = await ingest("clicked", "2026-03-01T10:00:00Z");
    const rows = await db.select().from(events).where(eq(events.organizationId, org.id)).all();
    const click = rows.find((r) => r.type === "clicked");
    if (!click) throw new Error("no stored click");
    const ctx: ApplyContext = {
      tenant: org.tenant,
      scoring: async () => DEFAULT_SCORING,
      attribution: () => getAttributionSettings(org.tenant),
      attempts: 1,
    };
    // Both consumers read the event before either wrote it: two plans of the same first click.
    const first = await planEvent(ctx, click, normalizeRow(click));
    const second = await planEvent(ctx, click, normalizeRow(click));
    if (first.kind !== "done" || second.kind !== "done") throw new Error("not planned");
    const prepared = (s: PlanStatement) => (isBuilder(s) ? builtStatement(org.tenant, s) : s);
    // Each plan has the fixed-text message and contact updates, and the applied mark.
    expect(second.statements.filter((s) => !isBuilder(s)).length).toBeGreaterThanOrEqual(3);
    await tenantBatch(org.tenant, first.statements.map(prepared));
    const once = { message: await getMessage(messageId), contact: await getContactRow(contact.id) };
    await tenantBatch(org.tenant, second.statements.map(prepared));
    const message = await getMessage(messageId);
    expect(message).toMatchObject({ clickCount: 1, status: "clicked" });
    expect(message?.lastClickedAt).toBe(Date.parse("2026-03-01T10:00:00Z"));
    expect(message).toEqual(once.message);
    const after = await getContactRow(contact.id);
    expect(after?.score).toBe(once.contact?.score);
    expect(after?.score).toBeGreaterThan(0);
    expect(after?.lastClickedAt).toBe(Date.parse("2026-03-01T10:00:00Z"));
  });
});
