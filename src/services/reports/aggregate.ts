/**
 * Counting report days from the source rows: a day's messages are the primary-key range of the
 * ids made in it (no extra index on messages, nothing written per email), its orders the
 * orders_ordered_at range, its new contacts the contacts' id range. The days drive each query
 * (CROSS JOIN keeps them the outer loop; `+organization_id` keeps the planner on the id range
 * rather than every message of the organization: 14 ms instead of 2 s for a month of 100,000). Used for the open days of a
 * report and, once, to roll up a closed day (rollup.ts).
 */
import type { Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";
import { idAt, type ReportDay } from "./days";

export const REPORT_KINDS = ["all", "campaign", "scenario", "template"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface DayCounts {
  day: string;
  kind: ReportKind;
  group_id: string;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
  orders: number;
  revenue: number;
  new_contacts: number;
}

export const COUNTERS = [
  "sent",
  "delivered",
  "opened",
  "clicked",
  "bounced",
  "complained",
  "unsubscribed",
  "orders",
  "revenue",
  "new_contacts",
] as const;

/** The group a message belongs to, per kind (templates through the message's ledger row). */
const GROUP: Record<ReportKind, string> = {
  all: "''",
  campaign: "m.campaign_id",
  scenario: "m.scenario_id",
  template: "l.template_id",
};
const LEDGER_JOIN: Record<ReportKind, string> = {
  all: "",
  campaign: "",
  scenario: "",
  template: "JOIN operation_ledger l ON l.id = m.ledger_id",
};

const MESSAGE_COUNTS = `
  sum(CASE WHEN m.sent_at IS NOT NULL THEN 1 ELSE 0 END) AS sent,
  sum(CASE WHEN m.delivered_at IS NOT NULL THEN 1 ELSE 0 END) AS delivered,
  sum(CASE WHEN m.open_count > 0 THEN 1 ELSE 0 END) AS opened,
  sum(CASE WHEN m.click_count > 0 THEN 1 ELSE 0 END) AS clicked,
  sum(CASE WHEN m.status = 'bounced' THEN 1 ELSE 0 END) AS bounced,
  sum(CASE WHEN m.status = 'complained' THEN 1 ELSE 0 END) AS complained,
  sum(CASE WHEN m.unsubscribed_at IS NOT NULL THEN 1 ELSE 0 END) AS unsubscribed`;

/** Each day's counters for one kind of group (kind `all`: one row per day, new contacts included). */
export async function countDays(tenant: Tenant, days: ReportDay[], kind: ReportKind): Promise<DayCounts[]> {
  if (!days.length) return [];
  const ranges = JSON.stringify(
    days.map((d) => ({
      day: d.day,
      lo: d.lo,
      hi: d.hi,
      mlo: idAt("msg", d.lo),
      mhi: idAt("msg", d.hi),
      clo: idAt("ct", d.lo),
      chi: idAt("ct", d.hi),
    })),
  );
  const daysCte = `WITH d AS (SELECT j.value ->> 'day' AS day, j.value ->> 'lo' AS lo, j.value ->> 'hi' AS hi,
      j.value ->> 'mlo' AS mlo, j.value ->> 'mhi' AS mhi, j.value ->> 'clo' AS clo, j.value ->> 'chi' AS chi
    FROM json_each(?2) AS j)`;
  const group = GROUP[kind];
  const join = LEDGER_JOIN[kind];
  const [messages, orders, contacts] = await Promise.all([
    tenantSql(
      tenant,
      `${daysCte}
       SELECT d.day AS day, ${group} AS group_id, ${MESSAGE_COUNTS}
       FROM d CROSS JOIN messages m ON m.id >= d.mlo AND m.id < d.mhi AND +m.organization_id = ?1 ${join}
       WHERE ${group} IS NOT NULL GROUP BY 1, 2`,
      ranges,
    ).all<Record<string, number | string>>(),
    tenantSql(
      tenant,
      `${daysCte}
       SELECT d.day AS day, ${group} AS group_id, count(*) AS orders, sum(o.amount) AS revenue
       FROM d CROSS JOIN orders o ON o.organization_id = ?1 AND o.ordered_at >= d.lo AND o.ordered_at < d.hi
         AND o.attributed_message_id IS NOT NULL
       JOIN messages m ON m.id = o.attributed_message_id ${join}
       WHERE ${group} IS NOT NULL GROUP BY 1, 2`,
      ranges,
    ).all<{ day: string; group_id: string; orders: number; revenue: number }>(),
    kind === "all"
      ? tenantSql(
          tenant,
          `${daysCte}
           SELECT d.day AS day, count(*) AS n FROM d CROSS JOIN contacts c ON c.id >= d.clo AND c.id < d.chi AND +c.organization_id = ?1
           GROUP BY 1`,
          ranges,
        ).all<{ day: string; n: number }>()
      : Promise.resolve({ results: [] as { day: string; n: number }[] }),
  ]);
  const rows = new Map<string, DayCounts>();
  const row = (day: string, groupId: string) => {
    const key = `${day}\u0000${groupId}`;
    let r = rows.get(key);
    if (!r) {
      r = { day, kind, group_id: groupId, ...Object.fromEntries(COUNTERS.map((c) => [c, 0])) } as DayCounts;
      rows.set(key, r);
    }
    return r;
  };
  // Kind `all`: every day has its row, even an empty one (a rolled-up day is then known to be).
  if (kind === "all") for (const d of days) row(d.day, "");
  for (const m of messages.results) {
    const r = row(String(m.day), String(m.group_id));
    for (const c of COUNTERS.slice(0, 7)) r[c] = Number(m[c] ?? 0);
  }
  for (const o of orders.results) {
    const r = row(o.day, String(o.group_id));
    r.orders = Number(o.orders);
    r.revenue = Math.round(Number(o.revenue ?? 0) * 100) / 100;
  }
  for (const c of contacts.results) row(c.day, "").new_contacts = Number(c.n);
  return [...rows.values()];
}
