import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { interactions, suppressions } from "../../src/db/schema";
import { resetClock } from "../../src/lib/clock";
import { SES, SES_MESSAGE_ID } from "../helpers/events-fixtures";
import {
  createSnsSigner,
  db,
  drainEvents,
  type EventsOrg,
  eventRows,
  eventsOrg,
  getContactRow,
  getMessage,
  postWebhook,
  seedContact,
  seedMessage,
  sesNotification,
  setSesTopics,
  TOPIC,
} from "../helpers/events";
import { emailHash, isSuppressed } from "../../src/services/suppressions/store";

let signer: Awaited<ReturnType<typeof createSnsSigner>>;
beforeAll(async () => {
  signer = await createSnsSigner();
});
beforeEach(() => resetClock());

/**
 * A fresh organization, subscribed to TOPIC, with recipient@example.com and a message for it. The
 * SES fixtures all name one message id, and (provider, external_id) is unique across organizations,
 * so each organization's message gets its own id and `send` swaps it into the fixture.
 */
async function setup() {
  const org = await eventsOrg();
  await setSesTopics(org.id, [TOPIC]);
  const contact = await seedContact(org.tenant, "recipient@example.com");
  const externalId = `${SES_MESSAGE_ID}-${org.id}`;
  const messageId = await seedMessage(org.tenant, {
    contactId: contact.id,
    provider: "ses",
    externalId,
    subject: "Spring offer",
  });
  const send = (sesJson: string) => deliver(org, sesJson.replaceAll(SES_MESSAGE_ID, externalId));
  return { org, contact, messageId, send };
}

async function deliver(org: EventsOrg, sesJson: string) {
  const res = await postWebhook("ses", org.webhookToken, await signer.sign(sesNotification(sesJson)));
  expect(res.status).toBe(200);
  return res;
}

const withBounceType = (type: string) => {
  const m = JSON.parse(SES.bounce);
  m.bounce.bounceType = type;
  return JSON.stringify(m);
};

describe("SES events through SNS", () => {
  it("applies delivery, open and click to the message, the score and the inbox", async () => {
    const { org, contact, messageId, send } = await setup();
    await send(SES.send);
    await send(SES.delivery);
    await send(SES.open);
    await send(SES.click);
    await drainEvents();
    const m = await getMessage(messageId);
    expect(m).toMatchObject({ status: "clicked", openCount: 1, clickCount: 1, machineOpenCount: 0 });
    expect(m?.deliveredAt).toBe(Date.parse("2016-10-19T23:21:04.133Z"));
    expect(m?.firstOpenedAt).toBe(Date.parse("2017-08-09T22:00:19.652Z"));
    expect(m?.firstClickedAt).toBe(Date.parse("2017-08-09T23:51:25.570Z"));
    const c = await getContactRow(contact.id);
    expect(c?.score).toBe(3 + 8);
    expect(c?.lastEventAt).toBe(Date.parse("2017-08-09T23:51:25.570Z"));
    const inbox = await db.select().from(interactions).where(eq(interactions.contactId, contact.id)).all();
    expect(inbox).toMatchObject([{ type: "email_open", messageId, title: "Opened: Spring offer" }]);
    expect((await eventRows(org.id)).every((r) => r.processedAt !== null && r.contactId === contact.id)).toBe(
      true,
    );
  });

  it("handles a click that arrives before the delivery and the open", async () => {
    const { contact, messageId, send } = await setup();
    await send(SES.click);
    await drainEvents();
    expect(await getMessage(messageId)).toMatchObject({ status: "clicked", clickCount: 1 });
    await send(SES.delivery);
    await send(SES.open);
    await drainEvents();
    const m = await getMessage(messageId);
    // A late delivery never moves the status back; the open is still the message's first.
    expect(m).toMatchObject({ status: "clicked", openCount: 1, clickCount: 1 });
    expect(m?.deliveredAt).not.toBeNull();
    expect((await getContactRow(contact.id))?.score).toBe(8 + 3);
  });

  it("counts the same SNS delivery once, however often it arrives or is processed", async () => {
    const { org, contact, messageId } = await setup();
    const body = await signer.sign(
      sesNotification(SES.open.replaceAll(SES_MESSAGE_ID, (await getMessage(messageId))?.externalId ?? "")),
    );
    for (let i = 0; i < 3; i++) expect((await postWebhook("ses", org.webhookToken, body)).status).toBe(200);
    await drainEvents();
    await drainEvents();
    expect(await getMessage(messageId)).toMatchObject({ openCount: 1 });
    expect((await getContactRow(contact.id))?.score).toBe(3);
    expect(await eventRows(org.id)).toHaveLength(1);
  });

  it("suppresses a Permanent bounce and a complaint, not a Transient bounce", async () => {
    const transient = await setup();
    await transient.send(withBounceType("Transient"));
    await drainEvents();
    expect(await isSuppressed(transient.org.tenant, "recipient@example.com")).toBe(false);
    expect(await getContactRow(transient.contact.id)).toMatchObject({ status: "subscribed", score: 0 });
    expect((await getMessage(transient.messageId))?.status).toBe("sent");

    const permanent = await setup();
    await permanent.send(SES.bounce);
    await drainEvents();
    expect(await isSuppressed(permanent.org.tenant, "recipient@example.com")).toBe(true);
    expect(await getContactRow(permanent.contact.id)).toMatchObject({ status: "bounced" });
    expect((await getMessage(permanent.messageId))?.status).toBe("bounced");

    const complaint = await setup();
    await complaint.send(SES.complaint);
    await drainEvents();
    expect(await isSuppressed(complaint.org.tenant, "recipient@example.com")).toBe(true);
    expect(await getContactRow(complaint.contact.id)).toMatchObject({ status: "complained" });
    const rows = await db
      .select()
      .from(suppressions)
      .where(eq(suppressions.organizationId, complaint.org.id))
      .all();
    expect(rows).toMatchObject([
      { reason: "complaint", emailHash: await emailHash("recipient@example.com") },
    ]);
  });

  it("reads the older notificationType format", async () => {
    const org = await eventsOrg();
    await setSesTopics(org.id, [TOPIC]);
    const jane = await seedContact(org.tenant, "jane@example.com");
    await deliver(org, SES.oldBounceNoDsn);
    await deliver(org, SES.oldComplaint);
    await deliver(org, SES.oldDelivery);
    await drainEvents();
    // Both bounced recipients are suppressed, whether or not they are contacts.
    expect(await isSuppressed(org.tenant, "jane@example.com")).toBe(true);
    expect(await isSuppressed(org.tenant, "richard@example.com")).toBe(true);
    expect(await isSuppressed(org.tenant, "mary@example.com")).toBe(false);
    expect((await getContactRow(jane.id))?.status).toBe("bounced");
    expect((await eventRows(org.id)).map((r) => r.type).sort()).toEqual(["Bounce", "Complaint", "Delivery"]);
  });

  it("takes Reject, DeliveryDelay, Rendering Failure and an unsubscribe-all Subscription", async () => {
    const { org, contact, messageId, send } = await setup();
    await send(SES.delay);
    await drainEvents();
    expect((await getMessage(messageId))?.status).toBe("sent");
    await send(SES.reject);
    await drainEvents();
    expect(await getMessage(messageId)).toMatchObject({ status: "failed", failureReason: "Bad content" });
    await send(
      SES.subscription.replace(
        "EXAMPLEe4bccb684-777bc8de-afa7-4970-92b0-f515137b1497-000000",
        SES_MESSAGE_ID,
      ),
    );
    await send(SES.failure);
    await drainEvents();
    expect((await getContactRow(contact.id))?.status).toBe("unsubscribed");
    expect(await isSuppressed(org.tenant, "recipient@example.com")).toBe(true);
    const types = (await eventRows(org.id)).map((r) => r.type).sort();
    expect(types).toEqual(["DeliveryDelay", "Reject", "Rendering Failure", "Subscription"]);
  });

  it("finds the message by the message_id tag the SES provider sets", async () => {
    const org = await eventsOrg();
    await setSesTopics(org.id, [TOPIC]);
    const contact = await seedContact(org.tenant, "recipient@example.com");
    const messageId = await seedMessage(org.tenant, {
      contactId: contact.id,
      provider: "ses",
      externalId: "other-id",
    });
    const open = JSON.parse(SES.open);
    open.mail.tags.message_id = [messageId];
    await deliver(org, JSON.stringify(open));
    await drainEvents();
    expect((await getMessage(messageId))?.openCount).toBe(1);
  });

  it("retries an event whose message is not recorded yet, then applies it to the contact alone", async () => {
    const org = await eventsOrg();
    await setSesTopics(org.id, [TOPIC]);
    const contact = await seedContact(org.tenant, "recipient@example.com");
    await deliver(org, SES.click);
    const [first] = await drainEvents(1);
    expect(first?.retryMessages).toHaveLength(1);
    await drainEvents();
    expect((await getContactRow(contact.id))?.score).toBe(2);
    expect((await eventRows(org.id))[0]?.processedAt).not.toBeNull();
  });
});
