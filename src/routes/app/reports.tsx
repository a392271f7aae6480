import type { App } from "../../app-env";
import { now } from "../../lib/clock";
import { ApiError } from "../../lib/errors";
import { messagesReport, overviewReport } from "../../services/reports/overview";
import { localDate } from "../../services/reports/days";
import { getOrganizationProfile } from "../../services/settings/organization-profile";
import { Notice, Table } from "../../ui/app/components";
import { percent } from "../../ui/app/i18n";
import { ColumnChart } from "../../ui/app/reports/charts";
import { reportCsv } from "../../services/reports/csv";
import { type Ctx, pageOf, render } from "./session";

const BASE = "/app/reports";
const GROUPS = ["campaign", "scenario", "template"] as const;
type Group = (typeof GROUPS)[number];
const LINK: Record<Group, string> = {
  campaign: "/app/campaigns",
  scenario: "/app/scenarios",
  template: "/app/templates",
};
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The page's period: 7, 30 or 90 days to today, or from / to; the breakdown. */
async function queryOf(c: Ctx) {
  const { timezone } = await getOrganizationProfile(c.get("tenant"));
  const days = Number(c.req.query("days") ?? "30");
  const today = localDate(now(), timezone);
  const custom = DATE.test(c.req.query("from") ?? "") && DATE.test(c.req.query("to") ?? "");
  const span = [7, 30, 90].includes(days) ? days : 30;
  const from = custom
    ? (c.req.query("from") as string)
    : localDate(now() - (span - 1) * 86_400_000, timezone);
  const to = custom ? (c.req.query("to") as string) : today;
  const group = (GROUPS as readonly string[]).includes(c.req.query("group") ?? "")
    ? (c.req.query("group") as Group)
    : "campaign";
  return { from, to, span: custom ? null : span, group, timezone };
}

async function reportsPage(c: Ctx) {
  const p = await pageOf(c);
  const t = p.t.reports;
  const q = await queryOf(c);
  const tenant = c.get("tenant");
  let overview: Awaited<ReturnType<typeof overviewReport>>;
  let table: Awaited<ReturnType<typeof messagesReport>>;
  try {
    const bucket = Date.parse(q.to) - Date.parse(q.from) > 45 * 86_400_000 ? "week" : "day";
    [overview, table] = await Promise.all([
      overviewReport(tenant, { from: q.from, to: q.to, bucket }),
      messagesReport(tenant, { from: q.from, to: q.to, group_by: q.group }),
    ]);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return render(c, t.title, <Notice kind="error">{e.details?.[0]?.message ?? e.message}</Notice>, 422);
  }
  const s = overview.series;
  const cats = s.map((x) => x.at);
  const money = (v: number) =>
    new Intl.NumberFormat(p.lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 2 }).format(v);
  const keep = (extra: Record<string, string>) =>
    `${BASE}?${new URLSearchParams({ ...(q.span ? { days: String(q.span) } : { from: q.from, to: q.to }), group: q.group, ...extra })}`;
  const tot = overview.totals;
  return render(
    c,
    t.title,
    <>
      <nav class="row" aria-label={t.period}>
        {[7, 30, 90].map((d) => (
          <a
            class={`button${q.span === d ? "" : " secondary"}`}
            href={`${BASE}?days=${d}&group=${q.group}`}
            aria-current={q.span === d ? "page" : undefined}
          >
            {t[`days${d}` as "days7"]}
          </a>
        ))}
        <form method="get" action={BASE} class="row">
          <div>
            <label for="from">{t.from}</label>
            <input id="from" name="from" type="date" value={q.from} required />
          </div>
          <div>
            <label for="to">{t.to}</label>
            <input id="to" name="to" type="date" value={q.to} required />
          </div>
          <input type="hidden" name="group" value={q.group} />
          <button type="submit">{t.show}</button>
        </form>
      </nav>
      <p class="muted">{t.timezoneNote.replace("{tz}", overview.timezone)}</p>
      <section class="card figures" aria-label={t.title}>
        {(
          [
            [t.sent, String(tot.sent)],
            [t.openRate, percent(tot.open_rate, p.lang)],
            [t.clickRate, percent(tot.click_rate, p.lang)],
            [t.orders, String(tot.orders)],
            [t.revenue, money(tot.revenue)],
            [t.conversion, percent(tot.conversion_rate, p.lang)],
            [t.newContacts, String(tot.new_contacts)],
          ] as const
        ).map(([label, value]) => (
          <div>
            <div class="muted">{label}</div>
            <div class="figure">{value}</div>
          </div>
        ))}
      </section>
      {tot.sent === 0 && tot.orders === 0 ? <p>{t.empty}</p> : null}
      <section class="card">
        <h2>{`${t.activityChart} (${overview.bucket === "week" ? t.byWeek : t.byDay})`}</h2>
        <ColumnChart
          title={t.activityChart}
          categories={cats}
          series={[
            { label: t.sent, values: s.map((x) => x.sent) },
            { label: t.opened, values: s.map((x) => x.opened) },
            { label: t.clicked, values: s.map((x) => x.clicked) },
          ]}
        />
        <h2>{t.revenueChart}</h2>
        <ColumnChart
          title={t.revenueChart}
          categories={cats}
          series={[{ label: t.revenue, values: s.map((x) => x.revenue) }]}
          format={money}
        />
        <details>
          <summary>{t.dataTable}</summary>
          <Table
            head={[
              "",
              t.sent,
              t.delivered,
              t.opened,
              t.clicked,
              t.bounced,
              t.unsubscribed,
              t.orders,
              t.revenue,
              t.newContacts,
            ]}
            empty=""
            rows={s.map((x) => [
              x.at,
              String(x.sent),
              String(x.delivered),
              String(x.opened),
              String(x.clicked),
              String(x.bounced),
              String(x.unsubscribed),
              String(x.orders),
              money(x.revenue),
              String(x.new_contacts),
            ])}
          />
        </details>
      </section>
      <section class="card">
        <h2>{t.groupBy}</h2>
        <nav class="row" aria-label={t.groupBy}>
          {GROUPS.map((g) => (
            <a
              class={`button small${g === q.group ? "" : " secondary"}`}
              href={keep({ group: g })}
              aria-current={g === q.group ? "page" : undefined}
            >
              {t.groups[g]}
            </a>
          ))}
          <a
            class="button secondary small"
            href={`${BASE}/export?${new URLSearchParams({ from: q.from, to: q.to, group: q.group })}`}
            download
          >
            {t.exportCsv}
          </a>
        </nav>
        <Table
          head={[t.groups[q.group], t.sent, t.openRate, t.clickRate, t.bounced, t.orders, t.revenue]}
          empty={t.noGroups}
          rows={table.items.map((r) => [
            <a href={`${LINK[q.group]}/${encodeURIComponent(r.id)}`}>{r.name ?? t.unnamed}</a>,
            String(r.sent),
            percent(r.open_rate, p.lang),
            percent(r.click_rate, p.lang),
            String(r.bounced),
            String(r.orders),
            money(r.revenue),
          ])}
        />
      </section>
    </>,
  );
}

/** /app/reports: the overview with its charts and table, the breakdown, its CSV. */
export function registerReportsPage(app: App) {
  app.get(BASE, (c) => reportsPage(c));
  app.get(`${BASE}/export`, async (c) => {
    const q = await queryOf(c);
    try {
      const report = await messagesReport(c.get("tenant"), { from: q.from, to: q.to, group_by: q.group });
      return c.body(reportCsv(report.items), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="report-${q.group}-${report.from}-${report.to}.csv"`,
      });
    } catch (e) {
      if (e instanceof ApiError) return c.text(e.message, 422);
      throw e;
    }
  });
}
