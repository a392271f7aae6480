import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contacts, events, messages } from "../../src/db/schema";
import { rowById, rowsByIds } from "../../src/lib/fixed-select";
import { scoped } from "../../src/lib/tenant";
import { messagesByExternalIds, messagesByIds } from "../../src/services/events/apply/resolve";
import { storeEvents } from "../../src/services/events/ingest/store";
import { db, eventsOrg, seedContact, seedMessage } from "../helpers/events";

const NO_QUEUE = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;

describe("fixed-text reads (lib/fixed-select.ts)", () => {
  it("answer the rows the query builder answers, decoded the same way, and only the tenant's", async () => {
    const org = await eventsOrg();
    const other = await eventsOrg();
    const contact = await seedContact(org.tenant, "fixed@example.com", { first_name: "Zoé" });
    // JSON text, a boolean column and nulls, as the builder writes them.
    await db
      .update(contacts)
      .set({ tags: '["vip","fr"]', attributes: '{"city":"Lyon"}', deliverable: true, score: 42 })
      .where(eq(contacts.id, contact.id));
    const built = await db.select().from(contacts).where(eq(contacts.id, contact.id)).get();
    const fixed = await rowById(org.tenant, contacts, contact.id);
    expect(fixed).toEqual(built);
    expect(fixed?.deliverable).toBe(true);
    expect(await rowById(other.tenant, contacts, contact.id)).toBeUndefined();
    expect(await rowById(org.tenant, contacts, "ct_missing")).toBeUndefined();

    // Messages with their contact, and one without (the left join's contact is null).
    const withContact = await seedMessage(org.tenant, {
      contactId: contact.id,
      provider: "brevo",
      externalId: "<a@x>",
    });
    const orphan = await seedMessage(org.tenant, { contactId: null, provider: "brevo", externalId: "b@x" });
    // The query builder's join, as the consumer read messages before the fixed text.
    const byBuilder = (id: string) =>
      db
        .select({ message: messages, contact: contacts })
        .from(messages)
        .leftJoin(
          contacts,
          and(eq(contacts.id, messages.contactId), eq(contacts.organizationId, messages.organizationId)),
        )
        .where(scoped(org.tenant, messages, eq(messages.id, id)))
        .get();
    const byIds = await messagesByIds(org.tenant, [withContact, orphan, "msg_missing"]);
    expect(byIds).toHaveLength(2);
    for (const f of byIds) expect(f).toEqual(await byBuilder(f.message.id));
    expect(byIds.find((f) => f.message.id === orphan)?.contact).toBeNull();
    expect(await messagesByIds(other.tenant, [withContact, orphan])).toEqual([]);

    const byExternal = await messagesByExternalIds(org.tenant, "brevo", ["<a@x>", "a@x", "b@x", "<b@x>"]);
    expect(byExternal.map((f) => f.message.id).sort()).toEqual([withContact, orphan].sort());
    expect(await messagesByExternalIds(org.tenant, "ses", ["<a@x>", "b@x"])).toEqual([]);
    expect(await messagesByExternalIds(other.tenant, "brevo", ["<a@x>", "b@x"])).toEqual([]);

    // Stored events.
    const stored = await storeEvents(org.tenant, NO_QUEUE, [
      { source: "api", dedupKey: "fixed-1", type: "opened", raw: { n: 1 }, contactId: contact.id },
      { source: "api", dedupKey: "fixed-2", type: "clicked", raw: "plain text" },
    ]);
    const rows = await rowsByIds(org.tenant, events, [...stored.ids, "ev_missing"]);
    expect(rows).toHaveLength(2);
    for (const r of rows)
      expect(r).toEqual(
        await db
          .select()
          .from(events)
          .where(scoped(org.tenant, events, eq(events.id, r.id)))
          .get(),
      );
    expect(await rowsByIds(other.tenant, events, stored.ids)).toEqual([]);
  });
});
