import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tenantScope } from "../../src/lib/tenant";
import { json } from "../helpers/api";
import { db, seedMessage } from "../helpers/events";
import { signedIn } from "../helpers/ui";

describe("the reports page", () => {
  it("shows the totals, the charts with their table, the breakdown linked by name, a period switch and the CSV", async () => {
    const { browser, org } = await signedIn();
    const c = await json<{ id: string }>("/api/v1/contacts", {
      key: org.key,
      body: { email: "r@x.example" },
      expect: 201,
    });
    const s = await json<{ id: string }>("/api/v1/scenarios", {
      key: org.key,
      body: { name: "Bienvenue <3", from_email: "news@sender.example" },
      expect: 201,
    });
    const tenant = tenantScope(db, org.id);
    for (let i = 0; i < 3; i++)
      await seedMessage(tenant, { contactId: c.id, scenarioId: s.id, stepOrder: 1 });
    await env.DB.prepare("UPDATE messages SET open_count = 1 WHERE organization_id = ?1").bind(org.id).run();

    expect((await browser.get("/app/reports?days=7&group=scenario")).status).toBe(200);
    expect(browser.last).toMatch(/<svg class="chart"[^>]*aria-label="Sent, opened and clicked"/);
    expect(browser.last).toContain("Bienvenue &lt;3");
    expect(browser.last).toContain(`href="/app/scenarios/${s.id}"`);
    expect(browser.last).toContain('aria-current="page"');
    // The same figures as a table for readers without the chart.
    expect(browser.last).toContain("The figures as a table");
    expect(browser.last).toMatch(/>Open rate<\/div><div class="figure">100%/);

    const csv = await browser.get("/app/reports/export?from=2020-01-01&to=2020-01-31&group=scenario");
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(browser.last.split("\r\n")[0]).toMatch(/^id,name,sent/);

    // A period the API refuses: the reason on the page, never an error page.
    const bad = await browser.get("/app/reports?from=2026-11-20&to=2026-11-01");
    expect(bad.status).toBe(422);
    expect(browser.last).toContain("must not be after to");
    expect((await browser.get("/app/reports?from=2026-02-30&to=2026-03-05")).status).toBe(422);
    expect(browser.last).toContain("use a real date");

    await browser.get("/app/reports", { cookie: `${browser.cookieHeader()}; lang=fr` });
    expect(browser.last).toContain("Rapports");
    expect(browser.last).toContain("Chiffre d&#39;affaires");
  });

  it("names a contact's scenarios on the contact page, linked", async () => {
    const { browser, org } = await signedIn();
    const c = await json<{ id: string }>("/api/v1/contacts", {
      key: org.key,
      body: { email: "s@x.example" },
      expect: 201,
    });
    const s = await json<{ id: string }>("/api/v1/scenarios", {
      key: org.key,
      body: { name: "Relance <douce>", from_email: "news@sender.example" },
      expect: 201,
    });
    await env.DB.prepare(
      `INSERT INTO contact_sequences (id, organization_id, scenario_id, contact_id, steps_version, status, created_at, updated_at, revision)
       VALUES ('seq_t1', ?1, ?2, ?3, 1, 'active', 0, 0, 0)`,
    )
      .bind(org.id, s.id, c.id)
      .run();
    await browser.get(`/app/contacts/${c.id}`);
    expect(browser.last).toContain(`<a href="/app/scenarios/${s.id}">Relance &lt;douce&gt;</a>`);
  });

  it("draws each link's clicks on the campaign's email, in a sandboxed frame", async () => {
    const { browser, org } = await signedIn();
    const t = await json<{ id: string }>("/api/v1/templates", {
      key: org.key,
      body: {
        name: "Promo",
        subject: "Hi",
        html: '<p><a href="https://shop.example/a">Shop</a> <a href="https://shop.example/b">More</a></p>',
      },
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
      body: { name: "Soldes", template_id: t.id, segment_ids: [seg.id], from_email: "n@shop.example" },
      expect: 201,
    });
    await env.DB.prepare(
      "INSERT INTO campaign_link_clicks (campaign_id, url_hash, message_id, organization_id, url, clicks) VALUES (?1, 'h', 'msg_x', ?2, 'https://shop.example/b', 4)",
    )
      .bind(campaign.id, org.id)
      .run();
    await browser.get(`/app/campaigns/${campaign.id}`);
    expect(browser.last).toContain(`src="/app/campaigns/${campaign.id}/clicks-frame"`);
    const frame = await browser.get(`/app/campaigns/${campaign.id}/clicks-frame`);
    expect(frame.headers.get("content-security-policy")).toContain("sandbox");
    expect(browser.last).toMatch(/More<\/a><mark[^>]*>4 \(1\)<\/mark>/);
    expect(browser.last).toMatch(/Shop<\/a><mark[^>]*>0 \(0\)<\/mark>/);
    const { browser: other } = await signedIn();
    expect((await other.get(`/app/campaigns/${campaign.id}/clicks-frame`)).status).toBe(404);
  });
});
