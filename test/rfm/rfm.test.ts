import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { tenantFor } from "../../src/db/route";
import { resetClock, setClock } from "../../src/lib/clock";
import { recomputeFitPage } from "../../src/services/rfm/compute";
import { rawOf } from "../../src/services/messages/store";
import { createOrg, json, type TestOrg } from "../helpers/api";
import { drainEvents } from "../helpers/events";
import { drainEnroll, drainSend, useScenarioQueues } from "../helpers/scenario";

const q = useScenarioQueues();
afterEach(() => resetClock());

const NOW = Date.parse("2031-01-31T12:00:00Z");
const DAY = 86_400_000;
const day = (d: number) => new Date(NOW - d * DAY).toISOString();
const csv = (key: string, path: string, body: string) =>
  json(path, { key, raw: body, contentType: "text/csv", expect: 200 });

/**
 * Six buyers and one contact who never bought. Hand-checked RFM (n = 6, score = floor(5 x (rank-1) / 6)):
 *
 * | contact | orders | money | last | r | f | m | score | segment |
 * | A | 1 | 100  | 5 d   | 3 | 0 | 0 | 1.00 | At Risk |
 * | B | 2 | 100  | 20 d  | 1 | 0 | 0 | 0.33 | At Risk |
 * | C | 3 | 300  | 60 d  | 0 | 1 | 1 | 0.67 | At Risk |
 * | D | 5 | 900  | 10 d  | 2 | 2 | 2 | 2.00 | Standard |
 * | E | 5 | 1000 | 200 d | 0 | 2 | 3 | 1.67 | Churn (past 180 days) |
 * | F | 6 | 2000 | 1 d   | 4 | 4 | 4 | 4.00 | VIP |
 *
 * (recency ranks, oldest first: E1 C2 B3 D4 A5 F6; frequency: A1 B2 C3 D4 E4 F6; money: A1 B1 C3 D4 E5 F6)
 */
async function shop(org: TestOrg) {
  await csv(
    org.key,
    "/api/v1/products/import",
    [
      "id,name,category,price,currency,url,image_url,available",
      "p1,Chef knife,kitchen,100,EUR,https://shop.example/p1,https://shop.example/p1.jpg,true",
      "p2,Cutting board,kitchen,100,EUR,https://shop.example/p2,,true",
      "p3,Whetstone,kitchen,100,EUR,https://shop.example/p3,,true",
      "p4,Bath towel,bath,400,EUR,https://shop.example/p4,,true",
      "p5,Garden hose,garden,50,EUR,https://shop.example/p5,,yes",
      "p6,Rake,garden,30,EUR,https://shop.example/p6,,false",
    ].join("\n"),
  );
  const people = ["a", "b", "c", "d", "e", "f", "g"];
  await csv(
    org.key,
    "/api/v1/contacts/import",
    ["email,first_name", ...people.map((p) => `${p}@shop.example,${p.toUpperCase()}`)].join("\n"),
  );
  const rows = ["email,order_id,ordered_at,product_id,quantity,price"];
  rows.push(`a@shop.example,a1,${day(5)},p4,1,100`);
  rows.push(`b@shop.example,b1,${day(30)},p5,1,50`, `b@shop.example,b2,${day(20)},p5,1,50`);
  for (let i = 1; i <= 3; i++) rows.push(`c@shop.example,c${i},${day(60 + i)},p3,1,100`);
  for (let i = 1; i <= 5; i++) rows.push(`d@shop.example,d${i},${day(10 + i)},p1,1,180`);
  for (let i = 1; i <= 5; i++) rows.push(`e@shop.example,e${i},${day(200 + i)},p5,4,50`);
  rows.push(
    `f@shop.example,f1,${day(9)},p1,1,100`,
    `f@shop.example,f1,${day(9)},p2,1,100`,
    `f@shop.example,f2,${day(8)},p1,1,100`,
    `f@shop.example,f2,${day(8)},p2,1,100`,
    `f@shop.example,f3,${day(7)},p1,1,100`,
    `f@shop.example,f3,${day(7)},p3,1,100`,
    `f@shop.example,f4,${day(6)},p4,1,400`,
    `f@shop.example,f5,${day(5)},p4,1,400`,
    `f@shop.example,f6,${day(1)},p5,12,50`,
  );
  const imported = await csv(org.key, "/api/v1/orders/import", rows.join("\n"));
  expect(imported).toEqual({ orders: 22, lines: 25, rejected: [] });
  const list = await json("/api/v1/contacts?limit=200", { key: org.key });
  return Object.fromEntries(
    list.items.map((c: { email: string; id: string }) => [c.email[0], c.id]),
  ) as Record<string, string>;
}

async function recompute(org: TestOrg) {
  setClock(NOW);
  const job = await json("/api/v1/rfm/recompute", { key: org.key, method: "POST", expect: 202 });
  expect(job.status).toBe("queued");
  await drainEnroll(q);
  return json("/api/v1/rfm", { key: org.key });
}

describe("RFM", () => {
  it("scores quintiles among purchasers, segments them (Churn by inactivity), and shows the distribution", async () => {
    setClock(NOW);
    const org = await createOrg();
    const id = await shop(org);
    const rfm = await recompute(org);
    expect(rfm.job).toMatchObject({ status: "done" });
    expect(rfm.segments).toEqual({ VIP: 1, Standard: 1, "At Risk": 3, Churn: 1, None: 1 });
    const get = async (k: string) =>
      (await json(`/api/v1/contacts/${id[k]}`, { key: org.key })) as Record<string, any>;
    const expected: Record<string, [number, number, number, number, string, number, number, number]> = {
      a: [3, 0, 0, 1, "At Risk", 1, 100, 5],
      b: [1, 0, 0, 0.33, "At Risk", 2, 100, 20],
      c: [0, 1, 1, 0.67, "At Risk", 3, 300, 61],
      d: [2, 2, 2, 2, "Standard", 5, 900, 11],
      e: [0, 2, 3, 1.67, "Churn", 5, 1000, 201],
      f: [4, 4, 4, 4, "VIP", 6, 2000, 1],
    };
    for (const [k, [r, f, m, score, segment, frequency, monetary, recency]] of Object.entries(expected)) {
      const c = await get(k);
      expect(c.rfm, k).toMatchObject({ r, f, m, score, segment, frequency, monetary, recency_days: recency });
      expect(c.rfm_segment).toBe(segment);
    }
    expect((await get("g")).rfm).toBeNull();
    // Thresholds are settings: with VIP at 2.0, D becomes VIP.
    await json("/api/v1/settings/rfm", {
      key: org.key,
      method: "PUT",
      body: { vip_threshold: 2 },
      expect: 200,
    });
    expect((await recompute(org)).segments).toMatchObject({ VIP: 2, Standard: 0 });
  });

  it("keeps co-purchased pairs and recommends by kind: cross_sell, rebuy, winback", async () => {
    setClock(NOW);
    const org = await createOrg();
    const id = await shop(org);
    await recompute(org);
    const p1 = await json("/api/v1/products/p1", { key: org.key });
    expect(p1.related.map((p: { id: string; orders_together: number }) => [p.id, p.orders_together])).toEqual(
      [
        ["p2", 2],
        ["p3", 1],
      ],
    );
    // 22 orders; p1 in 8 (d1-d5, f1-f3), p2 in 2: lift = 2 x 22 / (8 x 2).
    expect(p1.related[0].lift).toBe(2.75);
    const rec = async (k: string) => json(`/api/v1/contacts/${id[k]}/recommendations`, { key: org.key });
    const ids = (r: { products: { id: string }[] }) => r.products.map((p) => p.id);
    const d = await rec("d");
    expect([d.kind, ids(d)]).toEqual(["cross_sell", ["p2", "p3"]]);
    const a = await rec("a");
    expect([a.kind, ids(a)]).toEqual(["rebuy", ["p4"]]);
    const e = await rec("e");
    // The garden best seller; the rake is not available.
    expect([e.kind, ids(e)]).toEqual(["winback", ["p5"]]);
    const f = await rec("f");
    expect([f.kind, ids(f)]).toEqual(["cross_sell", []]);
    expect(await rec("g")).toEqual({ kind: null, products: [] });
  });

  it("the fit score reproduces the design's example: RFM 3.5, 5 engagement events, 2 purchases, 10 days -> 100", async () => {
    setClock(NOW);
    const org = await createOrg();
    const c = await json("/api/v1/contacts", { key: org.key, body: { email: "fit@x.example" }, expect: 201 });
    const none = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "cold@x.example" },
      expect: 201,
    });
    await env.DB.prepare(
      "UPDATE contacts SET rfm_score = 3.5, purchase_count = 2, last_purchase_at = ? WHERE id = ?",
    )
      .bind(NOW - 10 * DAY, c.id)
      .run();
    for (let i = 0; i < 5; i++)
      await env.DB.prepare(
        "INSERT INTO score_history (id, organization_id, contact_id, delta, score_after, cause, created_at) VALUES (?, ?, ?, 1, 1, 'open', ?)",
      )
        .bind(`sh_${i}`, org.id, c.id, NOW - i * DAY)
        .run();
    await recomputeFitPage(await tenantFor(env, org.id), null, NOW);
    expect((await json(`/api/v1/contacts/${c.id}`, { key: org.key })).fit_score).toBe(100);
    // No purchase, no engagement: 50 - 30.
    expect((await json(`/api/v1/contacts/${none.id}`, { key: org.key })).fit_score).toBe(20);
    const hot = await json("/api/v1/leads/hot?by=fit_score&threshold=50", { key: org.key, expect: 200 });
    expect(hot.items.map((h: { contact_id: string }) => h.contact_id)).toEqual([c.id]);
  });
});

describe("purchases", () => {
  it("counts a purchase once per order_id whatever the retries, and the purchase rule fires once", async () => {
    setClock(NOW);
    const org = await createOrg();
    const c = await json("/api/v1/contacts", {
      key: org.key,
      body: { email: "buyer@x.example" },
      expect: 201,
    });
    const purchase = (key: string) =>
      json("/api/v1/events", {
        key: org.key,
        body: {
          type: "purchase",
          contact_id: c.id,
          idempotency_key: key,
          properties: {
            order_id: "o-77",
            amount: 120,
            currency: "EUR",
            items: [{ product_id: "p1", quantity: 2, price: 60 }],
          },
        },
        expect: 202,
      });
    await purchase("k1");
    await purchase("k2");
    await purchase("k1");
    await drainEvents();
    const after = await json(`/api/v1/contacts/${c.id}`, { key: org.key });
    expect(after).toMatchObject({ purchase_count: 1, total_spent: 120 });
    // The default rule "purchase with amount > 50" adds 50 points once.
    expect(after.score).toBe(50);
    const runs = await env.DB.prepare(
      "SELECT count(*) AS n FROM rule_runs r JOIN rules u ON u.id = r.rule_id WHERE r.organization_id = ? AND u.trigger = 'purchase' AND r.status <> 'skipped'",
    )
      .bind(org.id)
      .first<{ n: number }>();
    expect(runs?.n).toBe(1);
    await json("/api/v1/events", {
      key: org.key,
      body: { type: "purchase", contact_id: c.id, properties: { amount: 10, items: [{ quantity: 1 }] } },
      expect: 422,
    });
  });

  it("reports the order import's bad rows by line", async () => {
    const org = await createOrg();
    await json("/api/v1/contacts", { key: org.key, body: { email: "ok@x.example" }, expect: 201 });
    const res = await csv(
      org.key,
      "/api/v1/orders/import",
      [
        "email,order_id,ordered_at,product_id,quantity,price",
        "ok@x.example,o1,2030-01-01,p1,1,10",
        "ok@x.example,o2,yesterday,p1,1,10",
        "ok@x.example,o3,2030-01-02,p1,two,10",
        "ok@x.example,o4,2030-01-02,p1,1,ten",
        "ghost@x.example,o5,2030-01-02,p1,1,10",
        "not-an-email,o6,2030-01-02,p1,1,10",
      ].join("\n"),
    );
    expect(res.orders).toBe(1);
    expect(res.rejected.map((r: { line: number }) => r.line)).toEqual([3, 4, 5, 6, 7]);
    expect(res.rejected[0].reason).toMatch(/ordered_at/);
    expect(res.rejected[1].reason).toMatch(/quantity/);
    expect(res.rejected[2].reason).toMatch(/price/);
  });

  it("imports 100,000 order lines in one request", { timeout: 120_000 }, async () => {
    const org = await createOrg();
    const buyers = Array.from({ length: 2000 }, (_, i) => `b${i}@bulk.example`);
    await csv(org.key, "/api/v1/contacts/import", ["email", ...buyers].join("\n"));
    const lines = ["email,order_id,ordered_at,product_id,quantity,price"];
    for (let i = 0; i < 100_000; i++)
      lines.push(
        `${buyers[Math.floor(i / 4) % 2000]},o${Math.floor(i / 4)},2030-06-01T10:00:00Z,p${i % 37},1,9.5`,
      );
    const res = await csv(org.key, "/api/v1/orders/import", lines.join("\n"));
    expect(res).toMatchObject({ orders: 25_000, lines: 100_000, rejected: [] });
    const top = await env.DB.prepare(
      "SELECT purchase_count, total_spent FROM contacts WHERE organization_id = ? AND email = ?",
    )
      .bind(org.id, buyers[0])
      .first();
    // b0 has orders o0, o2000 ... o24000: 13 orders of 4 lines at 9.5.
    expect(top).toEqual({ purchase_count: 13, total_spent: 494 });
  });
});

describe("recommendation campaigns", () => {
  it("dry-runs by kind and segment, excludes those with nothing to recommend, and sends each kind its template", async () => {
    setClock(NOW);
    const org = await createOrg();
    await shop(org);
    await recompute(org);
    const seg = await json("/api/v1/segments", {
      key: org.key,
      body: {
        name: "shoppers",
        type: "dynamic",
        criteria: {
          logic: "and",
          conditions: [{ field: "email_domain", operator: "eq", value: "shop.example" }],
        },
      },
      expect: 201,
    });
    const templates = await json("/api/v1/templates?limit=200", { key: org.key });
    const idOf = (name: string) =>
      templates.items.find((t: { name: string }) => t.name === name).id as string;
    const camp = await json("/api/v1/campaigns", {
      key: org.key,
      body: {
        name: "For you",
        kind: "recommendations",
        from_email: "shop@sender.example",
        segment_ids: [seg.id],
        templates: {
          rebuy: idOf("Recommendations: rebuy (English)"),
          cross_sell: idOf("Recommendations: cross-sell (English)"),
          winback: idOf("Recommendations: win-back (English)"),
        },
      },
      expect: 201,
    });
    const dry = await json(`/api/v1/campaigns/${camp.id}/dry-run`, {
      key: org.key,
      method: "POST",
      expect: 200,
    });
    // A, B, C: rebuy; D: cross-sell; E: win-back; F (bought everything related) and G (never bought): nothing.
    expect(dry).toMatchObject({ audience: 7, would_send: 5 });
    expect(dry.excluded.no_recommendation).toBe(2);
    expect(dry.by_kind).toEqual({ cross_sell: 1, rebuy: 3, winback: 1 });
    expect(dry.by_segment).toEqual({ VIP: 0, Standard: 1, "At Risk": 3, Churn: 1, None: 0 });
    await json(`/api/v1/campaigns/${camp.id}/send`, { key: org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    await drainSend(q);
    const sent = await json(`/api/v1/messages?campaign_id=${camp.id}`, { key: org.key });
    expect(sent.items).toHaveLength(5);
    const subjects = sent.items.map((m: { subject: string }) => m.subject).sort();
    expect(subjects.filter((s: string) => s === "Time to stock up?")).toHaveLength(3);
    const d = sent.items.find((m: { to_email: string }) => m.to_email === "d@shop.example");
    const row = await env.DB.prepare("SELECT raw, raw_ref AS rawRef FROM messages WHERE id = ?")
      .bind(d.id)
      .first<{ raw: string | null; rawRef: string | null }>();
    const raw = (await rawOf(env.ARCHIVE, row as { raw: string | null; rawRef: string | null })) ?? "";
    const decoded = [...raw.matchAll(/base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)/g)]
      .map((m) =>
        new TextDecoder().decode(
          Uint8Array.from(atob((m[1] ?? "").replace(/\s+/g, "")), (c) => c.charCodeAt(0)),
        ),
      )
      .join("\n");
    expect(decoded).toContain("Cutting board");
    expect(decoded).toContain("Whetstone");
    expect(decoded).not.toContain("Chef knife");
  });
});
