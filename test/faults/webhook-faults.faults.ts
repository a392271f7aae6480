/**
 * 5,000 Brevo webhook events posted twice each, in shuffled order, with EVENTS messages
 * redelivered on top: the end state must be the one of the same events posted once, in order.
 */
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumeEvents } from "../../queues/events";
import { createOrg, json } from "../helpers/api";
import { BREVO } from "../helpers/events-fixtures";
import { drainEvents, postWebhook, seedMessage } from "../helpers/events";
import { random } from "./harness";
import { tenantScope } from "../../src/lib/tenant";
import { createDb } from "../../src/db/client";

const MESSAGES = 1_250;
const KINDS = [BREVO.delivered, BREVO.unique_opened, BREVO.opened, BREVO.click];

async function setupOrg(label: string) {
  const org = await createOrg(`Webhook faults ${label}`);
  const token = (
    await env.DB.prepare("SELECT webhook_token AS t FROM organizations WHERE id = ?1")
      .bind(org.id)
      .first<{ t: string }>()
  )?.t as string;
  const csv = ["email", ...Array.from({ length: MESSAGES }, (_, i) => `w${i}@hooks.example`)].join("\n");
  await json("/api/v1/contacts/import", { key: org.key, raw: csv, contentType: "text/csv", expect: 200 });
  const contacts = (
    await env.DB.prepare("SELECT id, email FROM contacts WHERE organization_id = ?1")
      .bind(org.id)
      .all<{ id: string; email: string }>()
  ).results;
  const idOf = new Map(contacts.map((c) => [c.email, c.id]));
  const tenant = tenantScope(createDb(env.DB), org.id);
  const messageIds: string[] = [];
  const events: string[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const email = `w${i}@hooks.example`;
    const externalId = `${i}.hooks@smtp-relay.mailin.fr`;
    messageIds.push(
      await seedMessage(tenant, { contactId: idOf.get(email) as string, provider: "brevo", externalId }),
    );
    KINDS.forEach((k, j) => {
      const e = JSON.parse(k) as Record<string, unknown> & { ts_epoch: number };
      events.push(
        JSON.stringify({
          ...e,
          email,
          "message-id": `<${externalId}>`,
          ts_epoch: e.ts_epoch + i * 10_000 + j * 1000,
        }),
      );
    });
  }
  return {
    org,
    token,
    messageIds,
    events,
    contactIds: messageIds.map((_, i) => idOf.get(`w${i}@hooks.example`) as string),
  };
}

async function postAll(token: string, bodies: string[], concurrency = 16) {
  const statuses = new Map<number, number>();
  for (let i = 0; i < bodies.length; i += concurrency) {
    const res = await Promise.all(
      bodies.slice(i, i + concurrency).map((b) => postWebhook("brevo", token, b)),
    );
    for (const r of res) {
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      await r.body?.cancel();
    }
  }
  return statuses;
}

const stateOf = async (orgId: string) => {
  const msgs = (
    await env.DB.prepare(
      "SELECT external_id, status, open_count, machine_open_count, click_count, delivered_at, first_opened_at, last_opened_at, first_clicked_at, last_clicked_at FROM messages WHERE organization_id = ?1 ORDER BY external_id",
    )
      .bind(orgId)
      .all()
  ).results;
  const contacts = (
    await env.DB.prepare("SELECT email, score FROM contacts WHERE organization_id = ?1 ORDER BY email")
      .bind(orgId)
      .all()
  ).results;
  return { msgs, contacts };
};

describe("fault injection: webhooks", () => {
  it("5,000 events delivered twice and out of order are each applied once", async () => {
    const control = await setupOrg("control");
    const faulty = await setupOrg("faulty");
    const started = Date.now();
    await postAll(control.token, control.events);
    const rand = random(5);
    const twice = [...faulty.events, ...faulty.events];
    for (let i = twice.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [twice[i], twice[j]] = [twice[j] as string, twice[i] as string];
    }
    const statuses = await postAll(faulty.token, twice);
    await drainEvents(10);
    // EVENTS redelivery: a fifth of the stored events handed to the consumer again
    const ids = (
      await env.DB.prepare("SELECT id FROM events WHERE organization_id = ?1")
        .bind(faulty.org.id)
        .all<{ id: string }>()
    ).results.map((r) => r.id);
    const again = ids.filter(() => rand() < 0.2);
    for (let i = 0; i < again.length; i += 100) {
      const batch = createMessageBatch("edge-mail-events", [
        {
          id: `re-${i}`,
          timestamp: new Date(),
          attempts: 2,
          body: { event_ids: again.slice(i, i + 100), organization_id: faulty.org.id },
        },
      ]);
      await consumeEvents(batch as MessageBatch<unknown>, env);
    }
    const seconds = (Date.now() - started) / 1000;
    const [a, b] = [await stateOf(control.org.id), await stateOf(faulty.org.id)];
    const unprocessed = (
      await env.DB.prepare(
        "SELECT count(*) AS n FROM events WHERE organization_id = ?1 AND processed_at IS NULL",
      )
        .bind(faulty.org.id)
        .first<{ n: number }>()
    )?.n;
    const differing = b.msgs.filter((m, i) => JSON.stringify(m) !== JSON.stringify(a.msgs[i])).length;
    const scoreDiffs = b.contacts.filter(
      (c, i) => JSON.stringify(c) !== JSON.stringify(a.contacts[i]),
    ).length;
    console.log(
      [
        `fault suite, webhooks: ${faulty.events.length} events posted twice in shuffled order (${twice.length} requests; answers ${JSON.stringify(Object.fromEntries(statuses))}), ${again.length} redelivered from EVENTS, in ${seconds.toFixed(1)} s`,
        `  stored ${ids.length} events; unprocessed ${unprocessed}; messages differing from the in-order run ${differing}; contact scores differing ${scoreDiffs}`,
      ].join("\n"),
    );
    expect(statuses.get(200)).toBe(twice.length);
    expect(ids).toHaveLength(faulty.events.length);
    expect(unprocessed).toBe(0);
    expect(a.msgs).toHaveLength(MESSAGES);
    // the in-order run really applied the events
    expect(a.msgs.every((m) => (m as { click_count: number }).click_count === 1)).toBe(true);
    expect(differing).toBe(0);
    expect(scoreDiffs).toBe(0);
  }, 1_800_000);
});
