import { describe, expect, it } from "vitest";
import type { EventMessage } from "../../src/contracts/queue-messages";
import { ingestBrevoDelivery } from "../../src/services/events/ingest/brevo";
import { BREVO } from "../helpers/events-fixtures";
import { eventRows, eventsOrg, postWebhook } from "../helpers/events";

/** 1,000 opens of one message, one second apart: 1,000 distinct (message-id, event, ts_epoch). */
function thousandOpens(messageId: string) {
  const template = JSON.parse(BREVO.opened) as Record<string, unknown> & { ts_epoch: number };
  return JSON.stringify(
    Array.from({ length: 1000 }, (_, i) => ({
      ...template,
      "message-id": `<${messageId}>`,
      ts_epoch: template.ts_epoch + i * 1000,
    })),
  );
}

describe("a Brevo delivery of 1,000 events", () => {
  it("stores all of them before answering, and counts a redelivery of the array as duplicates", async () => {
    const org = await eventsOrg();
    const body = thousandOpens(`bulk-${org.id}@smtp-relay.mailin.fr`);
    const res = await postWebhook("brevo", org.webhookToken, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 1000, duplicates: 0 });
    const rows = await eventRows(org.id);
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.dedupKey)).size).toBe(1000);
    const again = await postWebhook("brevo", org.webhookToken, body);
    expect(await again.json()).toMatchObject({ stored: 0, duplicates: 1000 });
    expect(await eventRows(org.id)).toHaveLength(1000);
  });

  it("queues every stored event, 10 per EVENTS message, in order, in batches the queue accepts", async () => {
    const org = await eventsOrg();
    const sent: EventMessage[][] = [];
    const queue = {
      async sendBatch(messages: Iterable<MessageSendRequest<EventMessage>>) {
        sent.push([...messages].map((m) => m.body));
      },
    } as unknown as Queue;
    const out = await ingestBrevoDelivery(
      org.tenant,
      queue,
      thousandOpens(`q-${org.id}@smtp-relay.mailin.fr`),
      new Headers(),
    );
    expect(out.status).toBe(200);
    expect(sent.every((b) => b.length <= 100)).toBe(true);
    const ids = sent.flat().flatMap((m) => m.event_ids ?? [m.event_id]);
    expect(ids).toHaveLength(1000);
    expect(sent.flat()).toHaveLength(100);
    expect(sent.flat().every((m) => (m.event_ids ?? []).length === 10)).toBe(true);
    expect(new Set(ids).size).toBe(1000);
    // In the order they came: the rows' ids are time-ordered as stored.
    const stored = (await eventRows(org.id)).sort((a, b) => a.occurredAt - b.occurredAt).map((r) => r.id);
    expect(ids).toEqual(stored);
    expect(new Set((await eventRows(org.id)).map((r) => r.id))).toEqual(new Set(ids));
  });
});
