import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { runRetention } from "../../src/cron/retention";
import { events, messages } from "../../src/db/schema";
import { resetClock, setClock } from "../../src/lib/clock";
import { eraseContact } from "../../src/services/contacts/privacy";
import { rawOf } from "../../src/services/messages/store";
import { json } from "../helpers/api";
import { drainEvents, eventsOrg, seedContact } from "../helpers/events";
import { deliver, outcomeSpy, scenarioSend, sendingFixture } from "../helpers/sending";

const T0 = Date.parse("2026-05-04T10:00:00Z");
const DAY = 86_400_000;

afterEach(() => resetClock());

async function sentMessage() {
  setClock(T0);
  const f = await sendingFixture();
  const { ledgerId, body } = await scenarioSend(f);
  await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [body]);
  const row = await f.tenant.db.select().from(messages).where(eq(messages.ledgerId, ledgerId)).get();
  if (!row) throw new Error("no message");
  return { f, row };
}

describe("raw MIME in the R2 archive", () => {
  it("is kept out of D1, encrypted per message, and read back whole through the API", async () => {
    const { f, row } = await sentMessage();
    expect(row.raw).toBeNull();
    expect(row.rawRef).toMatch(/^r2:mime\/2026-05-04\/org_[0-9a-f]+\/batch_[0-9a-f]+\.eml#\d+\+\d+![\w-]+$/);
    const key = /^r2:([^#]+)#/.exec(row.rawRef ?? "")?.[1] ?? "";
    const stored = await (await env.ARCHIVE.get(key))?.text();
    // The object holds ciphertext: neither the subject nor the recipient appears in it.
    expect(stored).toBeTruthy();
    expect(stored).not.toContain("Hello Ada");
    expect(stored).not.toContain(f.contact.email);
    const api = await json(`/api/v1/messages/${row.id}`, { key: f.org.key, expect: 200 });
    expect(api.raw).toBe(await rawOf(env.ARCHIVE, row));
    expect(api.raw).toContain("Subject: Hello Ada");
    expect(api.raw).toMatch(/\r\n\r\n/);
  });

  it("an erased contact's copy cannot be read any more (its key went with the message row)", async () => {
    const { f, row } = await sentMessage();
    expect(await rawOf(env.ARCHIVE, row)).toContain("Hello Ada");
    await eraseContact(f.tenant, f.contact.id);
    const left = await f.tenant.db.select().from(messages).where(eq(messages.id, row.id)).get();
    expect(left).toBeUndefined();
    // Without the reference's key the bytes are noise; a forged key does not open them.
    const forged = (row.rawRef ?? "").replace(/![\w-]+$/, `!${"A".repeat(43)}`);
    expect(await rawOf(env.ARCHIVE, { raw: null, rawRef: forged })).toBeNull();
  });

  it("retention deletes whole days past MIME_RETENTION_DAYS and nothing newer", async () => {
    const { row } = await sentMessage();
    expect(await rawOf(env.ARCHIVE, row)).not.toBeNull();
    await runRetention(env, T0 + 364 * DAY);
    expect(await rawOf(env.ARCHIVE, row)).not.toBeNull();
    const out = await runRetention(env, T0 + 366 * DAY);
    expect(out.mimeDaysDeleted).toBeGreaterThanOrEqual(1);
    expect(await rawOf(env.ARCHIVE, row)).toBeNull();
  });
});

describe("applied raw events leave D1 after EVENTS_RETENTION_DAYS", () => {
  it("archives applied events to R2 as NDJSON and deletes them; unapplied ones stay", async () => {
    setClock(T0);
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "kept@example.com");
    for (const type of ["page_visit", "custom"])
      await json("/api/v1/events", { key: org.key, body: { type, contact_id: contact.id }, expect: 202 });
    await drainEvents();
    // One more, never processed.
    await json("/api/v1/events", {
      key: org.key,
      body: { type: "page_visit", contact_id: contact.id },
      expect: 202,
    });
    const rows = () => org.tenant.db.select().from(events).where(eq(events.organizationId, org.id)).all();
    expect(await rows()).toHaveLength(3);

    await runRetention(env, T0 + 29 * DAY);
    expect(await rows()).toHaveLength(3);
    const out = await runRetention(env, T0 + 31 * DAY);
    expect(out.eventsArchived).toBeGreaterThanOrEqual(2);
    const left = await rows();
    expect(left).toHaveLength(1);
    expect(left[0]?.processedAt).toBeNull();

    const listed = await env.ARCHIVE.list({ prefix: `events/2026-05-04/${org.id}/` });
    expect(listed.objects).toHaveLength(1);
    const ndjson = (await (await env.ARCHIVE.get(listed.objects[0]?.key ?? ""))?.text()) ?? "";
    const archived = ndjson
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(archived.map((e) => e.type).sort()).toEqual(["custom", "page_visit"]);
    expect(archived.every((e) => e.processed_at !== null && e.raw)).toBe(true);
  });
});
