/**
 * Reports: the overview by day and week in the organization's timezone, closed days read from
 * their stored counters, the table by campaign / scenario / template with its CSV (formula cells
 * neutralised), the campaign's links in HTML order, bad parameters, tenancy.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { nightlyReportRollup } from "../../src/cron/report-rollup";
import { resetClock, setClock } from "../../src/lib/clock";
import { tenantScope } from "../../src/lib/tenant";
import { call, createOrg, json, type TestOrg } from "../helpers/api";
import { db, drainEvents, seedMessage } from "../helpers/events";

const DAY = 86_400_000;
// 2026-11-20 12:00 UTC is a Friday; "today" for the reports below.
const TODAY = Date.UTC(2026, 10, 20, 12, 0, 0);

afterEach(() => resetClock());

async function setup(timezone = "Europe/Paris") {
  const org = await createOrg();
  await json("/api/v1/settings/organization", {
    key: org.key,
    method: "PUT",
    body: { timezone },
    expect: 200,
  });
  const c = await json<{ id: string }>("/api/v1/contacts", {
    key: org.key,
    body: { email: "reader@client.example" },
    expect: 201,
  });
  return { org, contactId: c.id, tenant: tenantScope(db, org.id) };
}

/** A message queued at `at` (its id carries the time), with what happened to it. */
async function sentAt(
  s: Awaited<ReturnType<typeof setup>>,
  at: number,
  what: { opened?: boolean; clicked?: boolean; bounced?: boolean; campaignId?: string } = {},
) {
  setClock(at);
  const id = await seedMessage(s.tenant, { contactId: s.contactId, status: "delivered", deliveredAt: at });
  await env.DB.prepare(
    `UPDATE messages SET open_count = ?2, first_opened_at = ?3, last_opened_at = ?3, click_count = ?4,
       first_clicked_at = ?5, last_clicked_at = ?5, status = ?6, campaign_id = ?7 WHERE id = ?1`,
  )
    .bind(
      id,
      what.opened ? 1 : 0,
      what.opened ? at + 60_000 : null,
      what.clicked ? 1 : 0,
      what.clicked ? at + 120_000 : null,
      what.bounced ? "bounced" : "delivered",
      what.campaignId ?? null,
    )
    .run();
  return id;
}

const overview = (org: TestOrg, q: string) => json(`/api/v1/reports/overview?${q}`, { key: org.key });

describe("reports", () => {
  it("a series by day and by week in the organization's timezone, with totals and revenue", async () => {
    const s = await setup("Europe/Paris");
    // 23:30 UTC on 11-17 is 00:30 on 11-18 in Paris.
    await sentAt(s, Date.UTC(2026, 10, 17, 23, 30), { opened: true });
    await sentAt(s, Date.UTC(2026, 10, 18, 9, 0), { opened: true, clicked: true });
    await sentAt(s, Date.UTC(2026, 10, 18, 10, 0), { bounced: true });
    const earner = await sentAt(s, Date.UTC(2026, 10, 19, 8, 0), { clicked: true });
    setClock(Date.UTC(2026, 10, 19, 9, 0));
    await json("/api/v1/events", {
      key: s.org.key,
      body: {
        type: "purchase",
        contact_id: s.contactId,
        properties: { order_id: "r-1", amount: 42.5 },
      },
      expect: 202,
    });
    await drainEvents(5);
    expect(
      (
        await env.DB.prepare("SELECT attributed_message_id AS m FROM orders WHERE order_id = 'r-1'").first<{
          m: string;
        }>()
      )?.m,
    ).toBe(earner);
    setClock(TODAY);
    const r = await overview(s.org, "from=2026-11-16&to=2026-11-20");
    expect(r.timezone).toBe("Europe/Paris");
    expect(r.series.map((d: { at: string; sent: number }) => [d.at, d.sent])).toEqual([
      ["2026-11-16", 0],
      ["2026-11-17", 0],
      ["2026-11-18", 3],
      ["2026-11-19", 1],
      ["2026-11-20", 0],
    ]);
    const d18 = r.series[2];
    expect(d18).toMatchObject({ delivered: 3, opened: 2, clicked: 1, bounced: 1 });
    expect(r.series[3]).toMatchObject({ clicked: 1, orders: 1, revenue: 42.5 });
    expect(r.totals).toMatchObject({
      sent: 4,
      opened: 2,
      clicked: 2,
      bounced: 1,
      orders: 1,
      revenue: 42.5,
      new_contacts: 0,
    });
    expect(r.totals.bounce_rate).toBe(0.25);
    // By week (ISO weeks, Monday first): 11-16 is a Monday.
    const w = await overview(s.org, "from=2026-11-09&to=2026-11-20&bucket=week");
    expect(w.series.map((x: { at: string; sent: number }) => [x.at, x.sent])).toEqual([
      ["2026-11-09", 0],
      ["2026-11-16", 4],
    ]);
    // In UTC, the late message is on 11-17.
    await json("/api/v1/settings/organization", {
      key: s.org.key,
      method: "PUT",
      body: { timezone: "UTC" },
      expect: 200,
    });
    const utc = await overview(s.org, "from=2026-11-17&to=2026-11-18");
    expect(utc.series.map((x: { sent: number }) => x.sent)).toEqual([1, 2]);
  });

  it("reads days older than a week from stored counters, and counts the recent ones live", async () => {
    const s = await setup("UTC");
    const old = await sentAt(s, TODAY - 20 * DAY);
    await sentAt(s, TODAY - DAY);
    setClock(TODAY);
    const q = `from=${new Date(TODAY - 25 * DAY).toISOString().slice(0, 10)}&to=2026-11-20`;
    const first = await overview(s.org, q);
    expect(first.totals.sent).toBe(2);
    const stored = await env.DB.prepare(
      "SELECT count(*) AS n FROM report_days WHERE organization_id = ?1 AND kind = 'all'",
    )
      .bind(s.org.id)
      .first<{ n: number }>();
    // Every closed day of the period has its stored row: 10-26 to 11-11, the days ended 8 days ago.
    expect(stored?.n).toBe(17);
    // A late open on the old message does not move the closed day; on the recent one it does.
    await env.DB.prepare("UPDATE messages SET open_count = 1 WHERE organization_id = ?1")
      .bind(s.org.id)
      .run();
    const second = await overview(s.org, q);
    expect(second.totals.opened).toBe(1);
    expect(old).toBeTruthy();
  });

  it("the nightly job rolls up the days that closed, once", async () => {
    const s = await setup("UTC");
    await sentAt(s, TODAY - 15 * DAY, { opened: true });
    setClock(TODAY);
    const count = async () =>
      (await env.DB.prepare(
        "SELECT count(*) AS n, sum(sent) AS sent FROM report_days WHERE organization_id = ?1 AND kind = 'all'",
      )
        .bind(s.org.id)
        .first<{ n: number; sent: number }>()) ?? { n: 0, sent: 0 };
    expect(await nightlyReportRollup(env, TODAY)).toBeGreaterThanOrEqual(1);
    // The 31 days before the open week, each with its row; the message's day holds it.
    expect(await count()).toEqual({ n: 31, sent: 1 });
    await nightlyReportRollup(env, TODAY);
    expect((await count()).n).toBe(31);
  });

  it("a table by campaign with names, rates and a CSV whose formula cells are neutralised; links in HTML order", async () => {
    const s = await setup("UTC");
    const t = await json<{ id: string }>("/api/v1/templates", {
      key: s.org.key,
      body: {
        name: "Promo",
        subject: "Hi",
        html: '<p><a href="https://shop.example/b">B</a> <a href="https://shop.example/a?x=1&amp;y=2">A</a> <a href="https://shop.example/b">B again</a></p>',
      },
      expect: 201,
    });
    const seg = await json<{ id: string }>("/api/v1/segments", {
      key: s.org.key,
      body: {
        name: "All",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "score", operator: "gte", value: 0 }] },
      },
      expect: 201,
    });
    const campaign = await json<{ id: string }>("/api/v1/campaigns", {
      key: s.org.key,
      body: {
        name: '=HYPERLINK("http://evil.example","x")',
        template_id: t.id,
        segment_ids: [seg.id],
        from_email: "n@shop.example",
      },
      expect: 201,
    });
    const m = await sentAt(s, TODAY - DAY, { clicked: true, campaignId: campaign.id });
    await sentAt(s, TODAY - DAY, { campaignId: campaign.id });
    await sentAt(s, TODAY - DAY);
    setClock(TODAY);
    const table = await json<{ items: { id: string; name: string; sent: number; click_rate: number }[] }>(
      "/api/v1/reports/messages?group_by=campaign&from=2026-11-13&to=2026-11-20",
      { key: s.org.key },
    );
    expect(table.items).toEqual([
      expect.objectContaining({
        id: campaign.id,
        name: '=HYPERLINK("http://evil.example","x")',
        sent: 2,
        clicked: 1,
        click_rate: 0.5,
      }),
    ]);
    const csv = await call(
      "/api/v1/reports/messages?group_by=campaign&from=2026-11-13&to=2026-11-20&format=csv",
      {
        key: s.org.key,
      },
    );
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe(
      "id,name,sent,delivered,opened,clicked,bounced,complained,unsubscribed,orders,revenue,open_rate,click_rate,bounce_rate,conversion_rate",
    );
    expect(lines[1]).toContain(`'=HYPERLINK`);
    expect(lines[1]).not.toMatch(/,=HYPERLINK/);

    await env.DB.prepare(
      "INSERT INTO campaign_link_clicks (campaign_id, url_hash, message_id, organization_id, url, clicks) VALUES (?1, 'h-a', ?2, ?3, 'https://shop.example/a?x=1&y=2', 3)",
    )
      .bind(campaign.id, m, s.org.id)
      .run();
    const links = await json<{ items: unknown[] }>(`/api/v1/campaigns/${campaign.id}/links`, {
      key: s.org.key,
    });
    expect(links.items).toEqual([
      { url: "https://shop.example/b", position: 1, clicks: 0, unique_clicks: 0 },
      { url: "https://shop.example/a?x=1&y=2", position: 2, clicks: 3, unique_clicks: 1 },
    ]);
    const other = await createOrg();
    await json(`/api/v1/campaigns/${campaign.id}/links`, { key: other.key, expect: 404 });
    const theirs = await json<{ items: unknown[] }>(
      "/api/v1/reports/messages?group_by=campaign&from=2026-11-13&to=2026-11-20",
      {
        key: other.key,
      },
    );
    expect(theirs.items).toEqual([]);
  });

  it("answers bad parameters with 400 or 422 in the envelope, never a 500", async () => {
    const s = await setup("UTC");
    for (const q of ["from=2026-13-01", "to=yesterday", "bucket=month", "from=2026-02-30"])
      expect((await call(`/api/v1/reports/overview?${q}`, { key: s.org.key })).status, q).toBe(400);
    expect((await call("/api/v1/reports/messages?group_by=contact", { key: s.org.key })).status).toBe(400);
    for (const q of ["from=2026-11-20&to=2026-11-01", "from=2024-01-01&to=2026-11-20"]) {
      const res = await call(`/api/v1/reports/overview?${q}`, { key: s.org.key });
      expect(res.status, q).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_ERROR");
    }
    await json("/api/v1/settings/organization", {
      key: s.org.key,
      method: "PUT",
      body: { timezone: "Mars/Olympus" },
      expect: 422,
    });
  });
});
