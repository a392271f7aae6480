/**
 * Revenue attribution: a purchase is credited once to the message of the contact's last human
 * click (or touch) within the window before it, stored with the order; settings changes do not
 * rewrite the past; machine opens never earn; imported orders are attributed by their dates; the
 * campaign's and the journey's stats show the orders and the revenue.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createOrg, json, type TestOrg } from "../helpers/api";
import { db, drainEvents, seedMessage } from "../helpers/events";
import { tenantScope } from "../../src/lib/tenant";
import { clickJourney, getFlow, putFlow } from "../helpers/journey";
import { createScenario, fixture } from "../helpers/scenario";

const DAY = 86_400_000;
const T = Date.UTC(2026, 10, 20, 12, 0, 0);

async function contact(org: TestOrg, email: string) {
  return json<{ id: string }>("/api/v1/contacts", { key: org.key, body: { email }, expect: 201 });
}

/** A sent message to the contact with these human open / click times. */
async function message(
  org: TestOrg,
  contactId: string,
  touches: { opened?: number[]; clicked?: number[]; machineOpens?: number; campaignId?: string },
) {
  const id = await seedMessage(tenantScope(db, org.id), { contactId });
  const o = touches.opened ?? [];
  const c = touches.clicked ?? [];
  await env.DB.prepare(
    `UPDATE messages SET first_opened_at = ?2, last_opened_at = ?3, open_count = ?4, first_clicked_at = ?5,
       last_clicked_at = ?6, click_count = ?7, machine_open_count = ?8, campaign_id = ?9, to_email = ?10 WHERE id = ?1`,
  )
    .bind(
      id,
      o[0] ?? null,
      o.at(-1) ?? null,
      o.length,
      c[0] ?? null,
      c.at(-1) ?? null,
      c.length,
      touches.machineOpens ?? 0,
      touches.campaignId ?? null,
      "buyer@shop.example",
    )
    .run();
  return id;
}

async function purchase(org: TestOrg, contactId: string, orderId: string, amount: number, at: number) {
  await json("/api/v1/events", {
    key: org.key,
    body: {
      type: "purchase",
      contact_id: contactId,
      occurred_at: new Date(at).toISOString(),
      idempotency_key: `${orderId}-${at}`,
      properties: { order_id: orderId, amount, currency: "EUR" },
    },
    expect: 202,
  });
  await drainEvents(5);
}

const orderOf = (org: TestOrg, orderId: string) =>
  env.DB.prepare(
    "SELECT attributed_message_id AS message, attributed_at AS at, attribution FROM orders WHERE organization_id = ?1 AND order_id = ?2",
  )
    .bind(org.id, orderId)
    .first<{ message: string | null; at: number | null; attribution: string | null }>();

describe("revenue attribution", () => {
  it("credits the last human click within the window, once, and keeps it when the settings change", async () => {
    const org = await createOrg();
    expect(await json("/api/v1/settings/attribution", { key: org.key })).toEqual({
      window_days: 5,
      model: "last_click",
    });
    const c = await contact(org, "buyer@shop.example");
    const clicked = await message(org, c.id, { opened: [T - 3 * DAY], clicked: [T - 2 * DAY] });
    const opened = await message(org, c.id, { opened: [T - DAY] });
    await message(org, c.id, { clicked: [T - 6 * DAY] });
    // A click after the purchase does not count for it (the message's first click does).
    const later = await message(org, c.id, { clicked: [T - 4 * DAY, T + DAY] });

    await purchase(org, c.id, "o-1", 120, T);
    expect(await orderOf(org, "o-1")).toEqual({
      message: clicked,
      at: T - 2 * DAY,
      attribution: "last_click:5d",
    });
    // The same order again (a retry, a second event for it): still one order, still the same credit.
    await purchase(org, c.id, "o-1", 120, T + 1000);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM orders WHERE organization_id = ?1")
      .bind(org.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);

    // last_touch: the later human open wins for new orders; the first order keeps its credit.
    await json("/api/v1/settings/attribution", {
      key: org.key,
      method: "PUT",
      body: { model: "last_touch", window_days: 3 },
      expect: 200,
    });
    await purchase(org, c.id, "o-2", 80, T);
    expect(await orderOf(org, "o-2")).toEqual({ message: opened, at: T - DAY, attribution: "last_touch:3d" });
    expect((await orderOf(org, "o-1"))?.message).toBe(clicked);
    expect(later).not.toBe(clicked);

    // Bad settings: 422 in the envelope.
    for (const body of [{ window_days: 0 }, { window_days: 91 }, { model: "first_click" }, { extra: 1 }])
      await json("/api/v1/settings/attribution", { key: org.key, method: "PUT", body, expect: 422 });
  });

  it("never credits a machine open, nor anything outside the window", async () => {
    const org = await createOrg();
    await json("/api/v1/settings/attribution", {
      key: org.key,
      method: "PUT",
      body: { model: "last_touch" },
      expect: 200,
    });
    const c = await contact(org, "proxy@shop.example");
    await message(org, c.id, { machineOpens: 3 });
    await message(org, c.id, { clicked: [T - 10 * DAY] });
    await purchase(org, c.id, "o-9", 50, T);
    expect(await orderOf(org, "o-9")).toEqual({ message: null, at: null, attribution: "last_touch:5d" });
  });

  it("attributes imported orders by their own dates", async () => {
    const org = await createOrg();
    const c = await contact(org, "old@shop.example");
    const then = T - 100 * DAY;
    const m = await message(org, c.id, { clicked: [then - DAY] });
    const csv = [
      "email,order_id,ordered_at,product_id,quantity,price",
      `old@shop.example,imp-1,${new Date(then).toISOString()},p1,2,15`,
      `old@shop.example,imp-2,${new Date(T).toISOString()},p1,1,15`,
    ].join("\n");
    await json("/api/v1/orders/import", { key: org.key, raw: csv, contentType: "text/csv", expect: 200 });
    expect((await orderOf(org, "imp-1"))?.message).toBe(m);
    expect((await orderOf(org, "imp-2"))?.message).toBeNull();
  });

  it("shows orders, revenue and conversion on the campaign, by recipient domain and bounce reason", async () => {
    const org = await createOrg();
    const t = await json<{ id: string }>("/api/v1/templates", {
      key: org.key,
      body: { name: "T", subject: "S", html: "<p>x</p>" },
      expect: 201,
    });
    const seg = await json<{ id: string }>("/api/v1/segments", {
      key: org.key,
      body: {
        name: "All",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "score", operator: "gte", value: 0 }] },
      },
      expect: 201,
    });
    const campaign = await json<{ id: string }>("/api/v1/campaigns", {
      key: org.key,
      body: { name: "Soldes", template_id: t.id, segment_ids: [seg.id], from_email: "news@shop.example" },
      expect: 201,
    });
    const a = await contact(org, "a@gmail.example");
    const b = await contact(org, "b@outlook.example");
    await message(org, a.id, { clicked: [T - DAY], campaignId: campaign.id });
    const bounced = await message(org, b.id, { campaignId: campaign.id });
    await env.DB.prepare(
      "UPDATE messages SET status = 'bounced', failure_reason = 'bounce: Permanent', sent_at = ?2, delivered_at = ?2 WHERE id = ?1",
    )
      .bind(bounced, T - 2 * DAY)
      .run();
    await env.DB.prepare(
      "UPDATE messages SET to_email = contacts.email, sent_at = ?2, delivered_at = ?2 FROM contacts WHERE contacts.id = messages.contact_id AND messages.organization_id = ?1 AND messages.id <> ?3",
    )
      .bind(org.id, T - 2 * DAY, bounced)
      .run();
    await env.DB.prepare("UPDATE messages SET to_email = 'b@outlook.example' WHERE id = ?1")
      .bind(bounced)
      .run();
    await purchase(org, a.id, "c-1", 99.5, T);
    await purchase(org, a.id, "c-2", 0.5, T + 1000);
    const stats = (
      await json<{ stats: Record<string, unknown> }>(`/api/v1/campaigns/${campaign.id}`, { key: org.key })
    ).stats;
    expect(stats).toMatchObject({
      orders: 2,
      revenue: 100,
      conversion_rate: 1,
      bounce_reasons: [{ reason: "bounce: Permanent", count: 1 }],
    });
    expect(stats.by_domain).toEqual([
      { domain: "gmail.example", sent: 1, delivered: 1, opened: 0, clicked: 1, bounced: 0 },
      { domain: "outlook.example", sent: 1, delivered: 1, opened: 0, clicked: 0, bounced: 1 },
    ]);
    // Another organization sees none of it.
    const other = await createOrg();
    await json(`/api/v1/campaigns/${campaign.id}`, { key: other.key, expect: 404 });
  });

  it("shows the revenue of each journey email node and of the journey", async () => {
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const s = await createScenario(f);
    await putFlow(f, s.id, clickJourney(a, b));
    const stored = await env.DB.prepare(
      "SELECT flow FROM scenario_flows WHERE scenario_id = ?1 ORDER BY version DESC LIMIT 1",
    )
      .bind(s.id)
      .first<{ flow: string }>();
    const orders = JSON.parse(stored?.flow ?? "{}").orders as Record<string, number>;
    const c = await contact(f.org, "journey-buyer@shop.example");
    const tenant = tenantScope(db, f.org.id);
    const welcome = await seedMessage(tenant, {
      contactId: c.id,
      scenarioId: s.id,
      stepOrder: orders.welcome,
    });
    const reminder = await seedMessage(tenant, {
      contactId: c.id,
      scenarioId: s.id,
      stepOrder: orders.reminder,
    });
    const click = (id: string, at: number) =>
      env.DB.prepare(
        "UPDATE messages SET first_clicked_at = ?2, last_clicked_at = ?2, click_count = 1 WHERE id = ?1",
      )
        .bind(id, at)
        .run();
    await click(welcome, T - 3 * DAY);
    await purchase(f.org, c.id, "j-1", 40, T - 2 * DAY);
    await click(reminder, T - DAY);
    await purchase(f.org, c.id, "j-2", 60.25, T);
    const view = await getFlow(f, s.id);
    expect(view.stats).toMatchObject({ orders: 2, revenue: 100.25 });
    expect(view.stats.nodes.welcome).toMatchObject({ orders: 1, revenue: 40 });
    expect(view.stats.nodes.reminder).toMatchObject({ orders: 1, revenue: 60.25 });
    expect(view.stats.nodes.clicked.revenue).toBeUndefined();
  });
});
