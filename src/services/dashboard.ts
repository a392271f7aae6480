/** The web UI dashboard's figures: sending over 7 and 30 days, active work. */
import { count, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";
import { campaigns, messages, scenarios } from "../db/schema";
import { now } from "../lib/clock";
import { scoped, type Tenant } from "../lib/tenant";

export interface SendingFigures {
  sent: number;
  opened: number;
  clicked: number;
  openRate: number;
  clickRate: number;
}

/** Messages sent since `days` ago, and how many of them were opened (by a person) and clicked. */
export async function sendingFigures(tenant: Tenant, days: number): Promise<SendingFigures> {
  const since = now() - days * 86_400_000;
  const [row] = await tenant.db
    .select({
      sent: count(),
      opened: sql<number>`count(${messages.firstOpenedAt})`,
      clicked: sql<number>`count(${messages.firstClickedAt})`,
    })
    .from(messages)
    .where(scoped(tenant, messages, isNotNull(messages.sentAt), gte(messages.sentAt, since)))
    .all();
  const sent = row?.sent ?? 0;
  const opened = Number(row?.opened ?? 0);
  const clicked = Number(row?.clicked ?? 0);
  return { sent, opened, clicked, openRate: sent ? opened / sent : 0, clickRate: sent ? clicked / sent : 0 };
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
