/**
 * The automatic A/B winner: the posterior figures (Evan Miller's closed form, "Formulas for
 * Bayesian A/B Testing", 2015, checked here against a numerical integration of the same Beta
 * posteriors), a scenario step switching to its winner, and a campaign's test split and deadline.
 */
import { seamed } from "../../src/lib/seams";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { decideCampaignWinners } from "../../src/cron/campaign-winners";
import { setClock } from "../../src/lib/clock";
import { decide } from "../../src/services/ab-winner/decide";
import { logBeta, probabilityBBeatsA, probabilityBest } from "../../src/services/ab-winner/probability";
import { json } from "../helpers/api";
import { drainEvents } from "../helpers/events";
import {
  drainEnroll,
  drainSend,
  entry,
  type Fixture,
  fireAlarms,
  fixture,
  importContacts,
  ledgerOf,
  runningScenario,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.UTC(2026, 10, 4, 10, 0, 0);
const HOUR = 3_600_000;

/** P(p_B > p_A) by Simpson's rule on [0, 1]: ∫ f_B(x) F_A(x) dx, with F_A accumulated on the same grid. */
function integrated(a: { s: number; n: number }, b: { s: number; n: number }, steps = 200_000) {
  const pdf = (x: number, al: number, be: number) =>
    x <= 0 || x >= 1 ? 0 : Math.exp((al - 1) * Math.log(x) + (be - 1) * Math.log(1 - x) - logBeta(al, be));
  const [aA, bA, aB, bB] = [1 + a.s, 1 + a.n - a.s, 1 + b.s, 1 + b.n - b.s];
  const h = 1 / steps;
  let cdfA = 0;
  let total = 0;
  let prev = 0;
  for (let i = 1; i <= steps; i++) {
    const x0 = (i - 1) * h;
    const x1 = i * h;
    const xm = (x0 + x1) / 2;
    // F_A on this cell by Simpson, then the integrand at the cell's ends and middle.
    const cdfMid = cdfA + (h / 12) * (pdf(x0, aA, bA) * 5 + pdf(xm, aA, bA) * 8 - pdf(x1, aA, bA));
    cdfA += (h / 6) * (pdf(x0, aA, bA) + 4 * pdf(xm, aA, bA) + pdf(x1, aA, bA));
    const f1 = pdf(x1, aB, bB) * cdfA;
    total += (h / 6) * (prev + 4 * pdf(xm, aB, bB) * cdfMid + f1);
    prev = f1;
  }
  return total;
}

describe("posterior figures", () => {
  it("the closed form matches a numerical integration of the Beta posteriors", () => {
    const cases = [
      [
        { s: 10, n: 100 },
        { s: 15, n: 100 },
      ],
      [
        { s: 3, n: 40 },
        { s: 1, n: 35 },
      ],
      [
        { s: 120, n: 1000 },
        { s: 140, n: 1000 },
      ],
      [
        { s: 0, n: 20 },
        { s: 0, n: 20 },
      ],
    ] as const;
    for (const [a, b] of cases) {
      const exact = probabilityBBeatsA(
        { name: "A", sent: a.n, successes: a.s },
        { name: "B", sent: b.n, successes: b.s },
      );
      expect(Math.abs(exact - integrated(a, b))).toBeLessThan(1e-4);
    }
    // Equal data: a coin toss.
    expect(
      probabilityBBeatsA({ name: "A", sent: 50, successes: 5 }, { name: "B", sent: 50, successes: 5 }),
    ).toBeCloseTo(0.5, 10);
  });

  it("Monte Carlo for three or more: seeded, sums to 1, agrees with the exact two-variant figure", () => {
    const v = [
      { name: "A", sent: 100, successes: 10 },
      { name: "B", sent: 100, successes: 15 },
      { name: "C", sent: 1000, successes: 0 },
    ];
    const p = probabilityBest(v, 7);
    expect(probabilityBest(v, 7)).toEqual(p);
    expect([...p.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const exact = probabilityBBeatsA(v[0] as (typeof v)[number], v[1] as (typeof v)[number]);
    expect(Math.abs((p.get("B") ?? 0) - exact)).toBeLessThan(0.01);
    expect(p.get("C")).toBe(0);
  });

  it("decides only with min_per_variant each and the probability reached; the deadline takes the leader", () => {
    const settings = { metric: "click_rate" as const, min_per_variant: 100, probability: 0.95 };
    const counts = (a: number, b: number, n = 100) => [
      { name: "A", sent: n, opened: 0, clicked: a, replied: 0 },
      { name: "B", sent: n, opened: 0, clicked: b, replied: 0 },
    ];
    expect(decide(settings, counts(20, 5, 99), T0)).toBeNull();
    const d = decide(settings, counts(20, 5), T0);
    expect(d).toMatchObject({ variant: "A", reached: true, metric: "click_rate" });
    expect(d?.probability).toBeGreaterThan(0.99);
    expect(decide(settings, counts(11, 10), T0)).toBeNull();
    expect(decide(settings, counts(11, 10), T0, true)).toMatchObject({ variant: "A", reached: false });
  });
});

async function clickAll(f: Fixture, ids: string[]) {
  for (const id of ids) {
    const m = await env.DB.prepare("SELECT provider, external_id FROM messages WHERE id = ?1")
      .bind(id)
      .first<{ provider: string; external_id: string }>();
    await json("/api/v1/email-events", {
      key: f.org.key,
      body: {
        provider: m?.provider,
        external_id: m?.external_id,
        event: "clicked",
        url: "https://shop.example/",
        occurred_at: new Date(T0 + 60_000).toISOString(),
      },
      expect: 202,
    });
  }
  await drainEvents();
}

const messagesBy = async (column: "scenario_id" | "campaign_id", id: string) =>
  (
    await env.DB.prepare(`SELECT id, variant_name, contact_id FROM messages WHERE ${column} = ?1 ORDER BY id`)
      .bind(id)
      .all<{ id: string; variant_name: string; contact_id: string }>()
  ).results;

describe("a scenario step's automatic winner", () => {
  it("keeps the weights until the winner is clear, then sends the winner to every later contact", async () => {
    setClock(T0);
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    const s = await runningScenario(f, q, {
      steps: [
        entry(a, {
          variants: [
            { name: "A", template_id: a, weight: 1 },
            { name: "B", template_id: b, weight: 1 },
          ],
          auto_winner: { metric: "click_rate", min_per_variant: 5, probability: 0.95 },
        }),
      ],
      contacts: Array.from({ length: 30 }, (_, i) => ({ email: `p${i}@list.example` })),
    });
    for (let i = 0; i < 20 && (await messagesBy("scenario_id", s.scenarioId)).length < 30; i++) {
      await fireAlarms(s.scenarioId, s.contactIds);
      await drainSend(q);
    }
    const sent = await messagesBy("scenario_id", s.scenarioId);
    expect(sent).toHaveLength(30);
    const ofA = sent.filter((m) => m.variant_name === "A");
    const ofB = sent.filter((m) => m.variant_name === "B");
    expect(ofA.length).toBeGreaterThanOrEqual(5);
    expect(ofB.length).toBeGreaterThanOrEqual(5);

    // One click is no proof.
    await clickAll(f, [ofA[0]?.id as string]);
    let detail = await json(`/api/v1/scenarios/${s.scenarioId}`, { key: f.org.key });
    expect(detail.steps[0].winner).toBeNull();
    const before = detail.steps[0].variants.find((v: { name: string }) => v.name === "A").probability_best;
    expect(before).toBeGreaterThan(0.5);
    expect(before).toBeLessThan(0.95);

    await clickAll(
      f,
      ofA.slice(1).map((m) => m.id),
    );
    detail = await json(`/api/v1/scenarios/${s.scenarioId}`, { key: f.org.key });
    expect(detail.steps[0].winner).toMatchObject({ variant: "A", reached: true, metric: "click_rate" });
    expect(detail.steps[0].winner.probability).toBeGreaterThanOrEqual(0.95);

    // Ten contacts arriving now all get A; the variants chosen before stay as they were.
    const later: string[] = [];
    for (let i = 0; i < 10; i++)
      later.push(
        (
          await json<{ id: string }>("/api/v1/contacts", {
            key: f.org.key,
            body: { email: `late${i}@list.example` },
            expect: 201,
          })
        ).id,
      );
    await drainEnroll(q);
    for (let i = 0; i < 20 && (await messagesBy("scenario_id", s.scenarioId)).length < 40; i++) {
      await fireAlarms(s.scenarioId, later);
      await drainSend(q);
    }
    const all = await messagesBy("scenario_id", s.scenarioId);
    expect(all.filter((m) => later.includes(m.contact_id)).map((m) => m.variant_name)).toEqual(
      Array(10).fill("A"),
    );
    const rows = await ledgerOf(s.scenarioId);
    expect(rows.filter((r) => !later.includes(r.contact_id) && r.variant_name === "B")).toHaveLength(
      ofB.length,
    );
  });
});

describe("a campaign's A/B test", () => {
  it("sends test_percent split across variants, waits decide_after_hours, then the winner to the rest", async () => {
    setClock(T0);
    const f = await fixture(2);
    const [a, b] = f.templates as [string, string];
    await importContacts(f, 60, (i) => `k${i}@shop.example,K${i}`);
    const seg = await json("/api/v1/segments", {
      key: f.org.key,
      body: {
        name: "all",
        type: "dynamic",
        criteria: {
          logic: "and",
          conditions: [{ field: "email", operator: "contains", value: "@shop.example" }],
        },
      },
      expect: 201,
    });
    const c = await json("/api/v1/campaigns", {
      key: f.org.key,
      body: {
        name: "Test",
        from_email: "news@sender.example",
        variants: [
          { name: "A", template_id: a, weight: 1 },
          { name: "B", template_id: b, weight: 1 },
        ],
        segment_ids: [seg.id],
        auto_winner: {
          metric: "click_rate",
          min_per_variant: 3,
          probability: 0.95,
          test_percent: 50,
          decide_after_hours: 2,
        },
      },
      expect: 201,
    });
    await json(`/api/v1/campaigns/${c.id}/send`, { key: f.org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    await drainSend(q);
    const test = await messagesBy("campaign_id", c.id);
    // About half, each variant in it.
    expect(test.length).toBeGreaterThan(15);
    expect(test.length).toBeLessThan(45);
    const inTest = new Map(test.map((m) => [m.contact_id, m.variant_name]));
    expect(new Set(inTest.values())).toEqual(new Set(["A", "B"]));
    let detail = await json(`/api/v1/campaigns/${c.id}`, { key: f.org.key });
    expect(detail.status).toBe("sending");
    expect(Date.parse(detail.ab_test.decide_at) - Date.parse(detail.ab_test.test_queued_at)).toBe(2 * HOUR);

    // B is clicked by all its test recipients, A by none.
    await clickAll(
      f,
      test.filter((m) => m.variant_name === "B").map((m) => m.id),
    );
    detail = await json(`/api/v1/campaigns/${c.id}`, { key: f.org.key });
    expect(detail.stats.by_variant.B.probability_best).toBeGreaterThan(0.99);

    setClock(T0 + HOUR);
    expect(await decideCampaignWinners(seamed(env))).toBe(0);
    setClock(T0 + 2 * HOUR + 60_000);
    expect(await decideCampaignWinners(seamed(env))).toBe(1);
    expect(await decideCampaignWinners(seamed(env))).toBe(0);
    await drainEnroll(q);
    await drainSend(q);

    const all = await messagesBy("campaign_id", c.id);
    expect(all).toHaveLength(60);
    for (const m of all) {
      if (inTest.has(m.contact_id)) expect(m.variant_name).toBe(inTest.get(m.contact_id));
      else expect(m.variant_name).toBe("B");
    }
    detail = await json(`/api/v1/campaigns/${c.id}`, { key: f.org.key });
    expect(detail.winner).toMatchObject({ variant: "B", reached: true });
    expect(detail.status).toBe("sent");
  });
});
