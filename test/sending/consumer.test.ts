import { env } from "cloudflare:workers";
import { type MessageRow, rawOf } from "../../src/services/messages/store";
import { and, eq } from "drizzle-orm";
import PostalMime from "postal-mime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import type { TenantDb } from "../../src/lib/tenant";
import { contacts, messages, operationLedger, stepVariants, suppressions } from "../../src/db/schema";
import { resetClock, setClock } from "../../src/lib/clock";
import { newId } from "../../src/lib/ids";
import { HttpResponse, respondInOrder, useNetwork } from "../helpers/network";
import { deliver, enqueueSend, outcomeSpy, SES_URL, scenarioSend, sendingFixture } from "../helpers/sending";
import { emailHash } from "../../src/services/suppressions/store";

useNetwork();
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
beforeEach(() => setClock(T0));
afterEach(() => resetClock());

async function ledger(db: TenantDb, id: string) {
  const row = await db.select().from(operationLedger).where(eq(operationLedger.id, id)).get();
  if (!row) throw new Error("ledger row missing");
  return row;
}

describe("SEND consumer: success", () => {
  it("log provider: records the message and raw MIME, executes the ledger, counts the variant, tells the sequence", async () => {
    const f = await sendingFixture();
    const { ledgerId, body } = await scenarioSend(f);
    const spy = outcomeSpy();
    const result = await deliver(createSendConsumer({ notify: spy.notify }), [body]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);

    const row = await ledger(f.tenant.db, ledgerId);
    expect(row).toMatchObject({ status: "executed", attempts: 1, reason: null, leaseUntil: null });
    const msg = await f.tenant.db
      .select()
      .from(messages)
      .where(eq(messages.id, row.messageId ?? ""))
      .get();
    expect(msg).toMatchObject({
      provider: "log",
      externalId: row.messageId,
      status: "sent",
      sentAt: T0,
      subject: "Hello Ada",
      contactId: f.contact.id,
      scenarioId: f.scenarioId,
      stepOrder: 1,
      variantName: "A",
      ledgerId,
      toEmail: f.contact.email,
      fromEmail: "news@sender.example",
    });
    const parsed = await PostalMime.parse((await rawOf(env.ARCHIVE, msg as MessageRow)) ?? "");
    expect(parsed.headers.find((h) => h.key === "list-unsubscribe")?.value).toMatch(
      /^<https:\/\/mail\.example\.test\/u\/[^>]+>$/,
    );

    const variants = await f.tenant.db
      .select()
      .from(stepVariants)
      .where(eq(stepVariants.organizationId, f.org.id))
      .all();
    expect(Object.fromEntries(variants.map((v) => [v.name, v.sent]))).toEqual({ A: 1, B: 0 });
    const contact = await f.tenant.db.select().from(contacts).where(eq(contacts.id, f.contact.id)).get();
    expect(contact?.lastSentAt).toBe(T0);
    expect(spy.outcomes).toEqual([
      {
        ledgerId,
        outcome: {
          ledger_id: ledgerId,
          step_order: 1,
          status: "executed",
          message_id: row.messageId,
          at: T0,
        },
      },
    ]);
  });

  it("SES: the message is recorded with the SES MessageId, and the tags name it", async () => {
    const f = await sendingFixture({ provider: "ses" });
    const { ledgerId, body } = await scenarioSend(f);
    const seen = respondInOrder("post", SES_URL, [HttpResponse.json({ MessageId: "0100-ses-message-id" })]);
    const result = await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [body]);
    expect(result.explicitAcks).toHaveLength(1);
    const row = await ledger(f.tenant.db, ledgerId);
    const msg = await f.tenant.db
      .select()
      .from(messages)
      .where(eq(messages.id, row.messageId ?? ""))
      .get();
    expect(msg).toMatchObject({ provider: "ses", externalId: "0100-ses-message-id", status: "sent" });
    const sent = JSON.parse(seen[0]?.body ?? "{}");
    expect(sent.EmailTags).toContainEqual({ Name: "message_id", Value: row.messageId });
    expect(atob(sent.Content.Raw.Data)).toBe(await rawOf(env.ARCHIVE, msg as MessageRow));
  });

  it("a redelivered or duplicated message makes exactly one provider call", async () => {
    const f = await sendingFixture({ provider: "ses" });
    const { ledgerId, body } = await scenarioSend(f);
    const again = await scenarioSend(f); // same idempotency key: same row, enqueued again
    expect(again.ledgerId).toBe(ledgerId);
    const seen = respondInOrder("post", SES_URL, [HttpResponse.json({ MessageId: "only-once" })]);
    const consumer = createSendConsumer({ notify: outcomeSpy().notify });
    // two copies in one batch race for the claim; a later redelivery finds the row executed
    const first = await deliver(consumer, [body, again.body]);
    const later = await deliver(consumer, [body], 2);
    expect(seen).toHaveLength(1);
    expect(first.explicitAcks).toHaveLength(2);
    expect(later.explicitAcks).toHaveLength(1);
    expect([...first.retryMessages, ...later.retryMessages]).toEqual([]);
    expect((await ledger(f.tenant.db, ledgerId)).attempts).toBe(1);
    const rows = await f.tenant.db.select().from(messages).where(eq(messages.ledgerId, ledgerId)).all();
    expect(rows).toHaveLength(1);
  });

  it("a row claimed by another delivery is acked with no provider call", async () => {
    const f = await sendingFixture({ provider: "ses" });
    const { ledgerId, body } = await scenarioSend(f);
    await f.tenant.db
      .update(operationLedger)
      .set({ status: "sending" })
      .where(eq(operationLedger.id, ledgerId));
    const seen = respondInOrder("post", SES_URL, [HttpResponse.json({ MessageId: "never" })]);
    const result = await deliver(createSendConsumer(), [body]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(seen).toHaveLength(0);
  });
});

describe("SEND consumer: suppression at send time", () => {
  it("a suppressed address is skipped with a reason and never reaches the provider", async () => {
    const f = await sendingFixture({ provider: "ses" });
    await f.tenant.db.insert(suppressions).values({
      id: newId("sup"),
      organizationId: f.org.id,
      emailHash: await emailHash(f.contact.email.toUpperCase()),
      reason: "hard_bounce",
      createdAt: T0,
    });
    const { ledgerId, body } = await scenarioSend(f);
    const seen = respondInOrder("post", SES_URL, [HttpResponse.json({ MessageId: "never" })]);
    const spy = outcomeSpy();
    const result = await deliver(createSendConsumer({ notify: spy.notify }), [body]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(seen).toHaveLength(0);
    expect(await ledger(f.tenant.db, ledgerId)).toMatchObject({
      status: "skipped",
      reason: "address is on the suppression list",
    });
    expect(spy.outcomes[0]?.outcome).toMatchObject({
      status: "skipped",
      reason: "address is on the suppression list",
    });
  });

  it("an unsubscribed contact is skipped", async () => {
    const f = await sendingFixture();
    await f.tenant.db.update(contacts).set({ status: "unsubscribed" }).where(eq(contacts.id, f.contact.id));
    const { ledgerId, body } = await scenarioSend(f);
    await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [body]);
    expect(await ledger(f.tenant.db, ledgerId)).toMatchObject({
      status: "skipped",
      reason: "contact is unsubscribed",
    });
  });
});

describe("SEND consumer: sends described by the payload (rules, reminders)", () => {
  it("a transactional reminder to a team member: org's provider, default sender, no unsubscribe headers, no suppression check", async () => {
    const f = await sendingFixture({ provider: "ses" });
    await f.tenant.db.insert(suppressions).values({
      id: newId("sup"),
      organizationId: f.org.id,
      emailHash: await emailHash("owner@sender.example"),
      reason: "unsubscribed",
      createdAt: T0,
    });
    const { ledgerId, body } = await enqueueSend(f.tenant, {
      keyParts: [f.org.id, "reminder", "int_1"],
      contactId: null,
      payload: {
        to_email: "owner@sender.example",
        subject: "Reminder: {{ email }}",
        html: '<p>Call back. <a href="https://app.example/i/1">Open</a></p>',
        transactional: true,
        source: { interaction_id: "int_1" },
      },
    });
    const seen = respondInOrder("post", SES_URL, [HttpResponse.json({ MessageId: "reminder-1" })]);
    const spy = outcomeSpy();
    await deliver(createSendConsumer({ notify: spy.notify }), [body]);
    expect(seen).toHaveLength(1);
    const row = await ledger(f.tenant.db, ledgerId);
    expect(row.status).toBe("executed");
    const msg = await f.tenant.db
      .select()
      .from(messages)
      .where(eq(messages.id, row.messageId ?? ""))
      .get();
    expect(msg).toMatchObject({
      contactId: null,
      scenarioId: null,
      externalId: "reminder-1",
      subject: "Reminder: owner@sender.example",
    });
    const parsed = await PostalMime.parse((await rawOf(env.ARCHIVE, msg as MessageRow)) ?? "");
    expect(parsed.headers.some((h) => h.key === "list-unsubscribe")).toBe(false);
    expect(parsed.from?.address).toBe("noreply@mail.example.test");
    expect(spy.outcomes).toEqual([]); // not a scenario send: no sequence to tell
    expect(parsed.html).toContain('href="https://app.example/i/1"');
    expect(parsed.text).toContain("Call back.");
  });

  it("a rule email to a contact: payload content rendered for the contact, with tracking and List-Unsubscribe", async () => {
    const f = await sendingFixture();
    const { ledgerId, body } = await enqueueSend(f.tenant, {
      keyParts: [f.org.id, "rule", "r1", f.contact.id, "ev1"],
      contactId: f.contact.id,
      payload: {
        from_email: "team@sender.example",
        subject: "Thanks {{ first_name }}",
        html: '<p><a href="https://shop.example">Shop</a></p>',
      },
    });
    await deliver(createSendConsumer({ notify: outcomeSpy().notify }), [body]);
    const row = await ledger(f.tenant.db, ledgerId);
    const msg = await f.tenant.db
      .select()
      .from(messages)
      .where(and(eq(messages.id, row.messageId ?? ""), eq(messages.organizationId, f.org.id)))
      .get();
    expect(msg).toMatchObject({
      provider: "log",
      subject: "Thanks Ada",
      contactId: f.contact.id,
      scenarioId: null,
    });
    const parsed = await PostalMime.parse((await rawOf(env.ARCHIVE, msg as MessageRow)) ?? "");
    expect(parsed.html).toContain("/t/c/");
    expect(parsed.html).not.toContain('href="https://shop.example"');
    expect(parsed.headers.filter((h) => h.key === "list-unsubscribe")).toHaveLength(1);
  });

  it("an invalid body is acked (logged), not retried forever", async () => {
    const result = await deliver(createSendConsumer(), [{ nope: true } as never]);
    expect(result.explicitAcks).toHaveLength(1);
  });
});
