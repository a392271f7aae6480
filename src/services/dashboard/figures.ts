/** The web UI dashboard's figures: sending over 7 and 30 days, active work. */
import { count, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";
import { campaigns, messages, scenarios } from "../../db/schema";
import { now } from "../../lib/clock";
import { scoped, type Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";

export interface SendingFigures {
  sent: number;
  opened: number;
  clicked: number;
  openRate: number;
  clickRate: number;
}

const figures = (sent: number, opened: number, clicked: number): SendingFigures => ({
  sent,
  opened,
  clicked,
  openRate: sent ? opened / sent : 0,
  clickRate: sent ? clicked / sent : 0,
});

/**
 * Messages sent in the last 7 and the last 30 days, and how many of them were opened (by a person)
 * and clicked: one scan of the 30 days, the 7 counted within it.
 */
export async function sendingFigures(
  tenant: Tenant,
): Promise<{ week: SendingFigures; month: SendingFigures }> {
  const at = now();
  const week = at - 7 * 86_400_000;
  const month = at - 30 * 86_400_000;
  const recent = sql`${messages.sentAt} >= ${week}`;
  const [row] = await tenant.db
    .select({
      sent: count(),
      opened: sql<number>`count(${messages.firstOpenedAt})`,
      clicked: sql<number>`count(${messages.firstClickedAt})`,
      weekSent: sql<number>`count(case when ${recent} then 1 end)`,
      weekOpened: sql<number>`count(case when ${recent} then ${messages.firstOpenedAt} end)`,
      weekClicked: sql<number>`count(case when ${recent} then ${messages.firstClickedAt} end)`,
    })
    .from(messages)
    .where(scoped(tenant, messages, isNotNull(messages.sentAt), gte(messages.sentAt, month)))
    .all();
  const n = (v: unknown) => Number(v ?? 0);
  return {
    week: figures(n(row?.weekSent), n(row?.weekOpened), n(row?.weekClicked)),
    month: figures(n(row?.sent), n(row?.opened), n(row?.clicked)),
  };
}

/** Scenarios that are running and campaigns scheduled or sending, newest first (at most 20 each). */
export async function activeWork(tenant: Tenant) {
  const [running, broadcasting] = await tenant.db.batch([
    tenant.db
      .select({ id: scenarios.id, name: scenarios.name, status: scenarios.status })
      .from(scenarios)
      .where(scoped(tenant, scenarios, eq(scenarios.status, "active")))
      .limit(20),
    tenant.db
      .select({ id: campaigns.id, name: campaigns.name, status: campaigns.status })
      .from(campaigns)
      .where(scoped(tenant, campaigns, inArray(campaigns.status, ["scheduled", "sending"])))
      .limit(20),
  ]);
  return { scenarios: running, campaigns: broadcasting };
}

/** 15+ warm, 20+ hot, 30+ very hot (the seed systems' heat levels). */
export function heatOf(score: number): "warm" | "hot" | "very_hot" | null {
  if (score >= 30) return "very_hot";
  if (score >= 20) return "hot";
  if (score >= 15) return "warm";
  return null;
}

/** Attributed orders and revenue over 7 and 30 days, and the campaign that earned most in the 30. */
export async function revenueFigures(tenant: Tenant) {
  const at = now();
  const [totals, best] = await Promise.all([
    tenantSql(
      tenant,
      `SELECT count(CASE WHEN ordered_at >= ?2 THEN 1 END) AS week_orders, coalesce(sum(CASE WHEN ordered_at >= ?2 THEN amount END), 0) AS week_revenue,
         count(*) AS month_orders, coalesce(sum(amount), 0) AS month_revenue
       FROM orders WHERE organization_id = ?1 AND ordered_at >= ?3 AND attributed_message_id IS NOT NULL`,
      at - 7 * 86_400_000,
      at - 30 * 86_400_000,
    ).first<{ week_orders: number; week_revenue: number; month_orders: number; month_revenue: number }>(),
    tenantSql(
      tenant,
      `SELECT m.campaign_id AS id, c.name AS name, sum(o.amount) AS revenue
       FROM orders o JOIN messages m ON m.id = o.attributed_message_id
       JOIN campaigns c ON c.id = m.campaign_id AND c.organization_id = o.organization_id
       WHERE o.organization_id = ?1 AND o.ordered_at >= ?2 AND o.attributed_message_id IS NOT NULL
       GROUP BY m.campaign_id ORDER BY revenue DESC LIMIT 1`,
      at - 30 * 86_400_000,
    ).first<{ id: string; name: string; revenue: number }>(),
  ]);
  const round = (v: unknown) => Math.round(Number(v ?? 0) * 100) / 100;
  return {
    week: { orders: Number(totals?.week_orders ?? 0), revenue: round(totals?.week_revenue) },
    month: { orders: Number(totals?.month_orders ?? 0), revenue: round(totals?.month_revenue) },
    best: best ? { id: best.id, name: best.name, revenue: round(best.revenue) } : null,
  };
}
