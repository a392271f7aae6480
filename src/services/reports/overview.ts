/**
 * GET /reports/overview (a series by day or week in the organization's timezone, with totals) and
 * GET /reports/messages (one row per campaign, scenario or template over the period, by name).
 */
import { inArray } from "drizzle-orm";
import { campaigns, scenarios, templates } from "../../db/schema";
import { now } from "../../lib/clock";
import { ApiError } from "../../lib/errors";
import { scoped, type Tenant } from "../../lib/tenant";
import { getOrganizationProfile } from "../settings/organization-profile";
import { COUNTERS, type DayCounts, type ReportKind } from "./aggregate";
import { isCalendarDate, localDate, reportDays, weekOf } from "./days";
import { dayCounts } from "./rollup";

/** At most this many days per report. */
export const MAX_REPORT_DAYS = 400;

type Totals = Record<(typeof COUNTERS)[number], number>;

const zero = (): Totals => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Totals;
const add = (into: Totals, r: Partial<Totals>) => {
  for (const c of COUNTERS) into[c] += Number(r[c] ?? 0);
};
const money = (t: Totals) => ({ ...t, revenue: Math.round(t.revenue * 100) / 100 });
const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : 0);
const rates = (t: Totals) => ({
  open_rate: rate(t.opened, t.delivered || t.sent),
  click_rate: rate(t.clicked, t.delivered || t.sent),
  bounce_rate: rate(t.bounced, t.sent),
  conversion_rate: rate(t.orders, t.delivered || t.sent),
});

export interface Period {
  from?: string;
  to?: string;
}

/** The period's days in the organization's timezone (default: the last 30 days to today). */
async function periodOf(tenant: Tenant, q: Period, at: number) {
  const { timezone } = await getOrganizationProfile(tenant);
  const to = q.to ?? localDate(at, timezone);
  const from = q.from ?? localDate(at - 29 * 86_400_000, timezone);
  for (const [field, day] of [
    ["from", from],
    ["to", to],
  ] as const)
    if (!isCalendarDate(day))
      throw new ApiError("VALIDATION_ERROR", `${field}: not a date`, [
        { field, message: "use a real date, YYYY-MM-DD" },
      ]);
  if (from > to)
    throw new ApiError("VALIDATION_ERROR", "from is after to", [
      { field: "from", message: "must not be after to" },
    ]);
  const days = reportDays(from, to, timezone, MAX_REPORT_DAYS + 1);
  if (days.length > MAX_REPORT_DAYS)
    throw new ApiError("VALIDATION_ERROR", `at most ${MAX_REPORT_DAYS} days`, [
      { field: "from", message: `a report covers at most ${MAX_REPORT_DAYS} days` },
    ]);
  return { timezone, from, to, days };
}

export async function overviewReport(tenant: Tenant, q: Period & { bucket: "day" | "week" }, at = now()) {
  const p = await periodOf(tenant, q, at);
  const rows = await dayCounts(tenant, p.days, "all", p.timezone, at);
  const byBucket = new Map<string, Totals>();
  for (const d of p.days) byBucket.set(q.bucket === "week" ? weekOf(d.day) : d.day, zero());
  const totals = zero();
  for (const r of rows) {
    const key = q.bucket === "week" ? weekOf(r.day) : r.day;
    const b = byBucket.get(key);
    if (b) add(b, r as Partial<Totals>);
    add(totals, r as Partial<Totals>);
  }
  return {
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    bucket: q.bucket,
    series: [...byBucket].map(([day, t]) => ({ at: day, ...money(t) })),
    totals: { ...money(totals), ...rates(totals) },
  };
}

const NAMED = {
  campaign: campaigns,
  scenario: scenarios,
  template: templates,
} as const;

/** One row per group over the period, with its name and rates, by sends. */
export async function messagesReport(
  tenant: Tenant,
  q: Period & { group_by: Exclude<ReportKind, "all"> },
  at = now(),
) {
  const p = await periodOf(tenant, q, at);
  const rows: DayCounts[] = await dayCounts(tenant, p.days, q.group_by, p.timezone, at);
  const groups = new Map<string, Totals>();
  for (const r of rows) {
    const t = groups.get(r.group_id) ?? zero();
    add(t, r as Partial<Totals>);
    groups.set(r.group_id, t);
  }
  const ids = [...groups.keys()];
  const table = NAMED[q.group_by];
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 90) {
    const part = ids.slice(i, i + 90);
    const found = await tenant.db
      .select({ id: table.id, name: table.name })
      .from(table)
      .where(scoped(tenant, table, inArray(table.id, part)))
      .all();
    for (const f of found) names.set(f.id, f.name);
  }
  const items = ids
    .map((id) => {
      const t = groups.get(id) as Totals;
      return { id, name: names.get(id) ?? null, ...money(t), ...rates(t) };
    })
    .sort((a, b) => b.sent - a.sent || b.revenue - a.revenue || a.id.localeCompare(b.id));
  return { from: p.from, to: p.to, timezone: p.timezone, group_by: q.group_by, items };
}
