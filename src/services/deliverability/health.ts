/**
 * The deliverability guard. Sends, bounces and complaints are counted per scenario or campaign and
 * UTC day (send_health); after a bounce or complaint is applied, the scope's rates over the rolling
 * window are compared with the organization's pause rates. Past one, after at least `min_sends`,
 * the scenario or campaign is paused with `paused_reason` (bounce_rate or complaint_rate) and every
 * member of the organization gets a notification. Resume is manual.
 */
import { notifyMembers } from "../notifications/store";
import { type SQL, sql } from "drizzle-orm";
import { messages, sendHealth } from "../../db/schema";
import type { NormalizedEvent } from "../../contracts/events";
import { now } from "../../lib/clock";
import { scoped, type Tenant } from "../../lib/tenant";
import { transitionCampaign } from "../campaigns/transitions";
import { transitionScenario } from "../scenarios/transitions";
import { getDeliverability } from "./settings";
import type { EventSubscriber } from "../events/types";
import { tenantSql } from "../../lib/tenant-sql";

export const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/** SEND: one statement adding a batch's sends, per (scope, day). */
export function sentStatement(tenant: Tenant, scopes: Map<string, number>, at: number) {
  const rows = [...scopes].map(([scope, n]) => ({ scope, n }));
  return tenantSql(
    tenant,
    `INSERT INTO send_health (organization_id, scope_id, day, sent)
     SELECT ?1, j.value ->> 'scope', ?2, j.value ->> 'n' FROM json_each(?3) AS j WHERE true
     ON CONFLICT (organization_id, scope_id, day) DO UPDATE SET sent = sent + excluded.sent`,
    utcDay(at),
    JSON.stringify(rows),
  );
}

/** Whether an applied event counts against the sender: a bounce of the address, or a complaint. */
export const isBadEvent = (e: Pick<NormalizedEvent, "type" | "bounce_type">) =>
  (e.type === "bounced" && e.bounce_type !== "Transient") || e.type === "complained";

/** EVENTS: +1 bounce or complaint on the message's scope, in the event's batch (guarded: once). */
export function badEventStatement(tenant: Tenant, e: NormalizedEvent, scopeId: string, guard: SQL) {
  const column = e.type === "complained" ? "complained" : "bounced";
  return tenant.db
    .insert(sendHealth)
    .select(
      sql`SELECT ${tenant.orgId}, ${scopeId}, ${utcDay(e.occurred_at)}, 0, ${column === "bounced" ? 1 : 0}, ${column === "complained" ? 1 : 0} WHERE ${guard}`,
    )
    .onConflictDoUpdate({
      target: [sendHealth.organizationId, sendHealth.scopeId, sendHealth.day],
      set: { [column]: sql.raw(`"${column}" + 1`) },
    });
}

export interface HealthFigures {
  sent: number;
  bounced: number;
  complained: number;
  bounce_rate: number;
  complaint_rate: number;
}

export async function healthOf(
  tenant: Tenant,
  scopeId: string,
  windowDays: number,
  at = now(),
): Promise<HealthFigures> {
  const since = utcDay(at - (windowDays - 1) * 86_400_000);
  const row = await tenantSql(
    tenant,
    `SELECT coalesce(sum(sent), 0) AS sent, coalesce(sum(bounced), 0) AS bounced, coalesce(sum(complained), 0) AS complained
       FROM send_health WHERE organization_id = ?1 AND scope_id = ?2 AND day >= ?3`,
    scopeId,
    since,
  ).first<{ sent: number; bounced: number; complained: number }>();
  const sent = row?.sent ?? 0;
  const rate = (n: number) => (sent ? n / sent : 0);
  return {
    sent,
    bounced: row?.bounced ?? 0,
    complained: row?.complained ?? 0,
    bounce_rate: rate(row?.bounced ?? 0),
    complaint_rate: rate(row?.complained ?? 0),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

/**
 * After a bounce or complaint: the scope's window against the pause rates. Idempotent per event: a
 * redelivered event finds the scope paused already (the transition is conditional) and notifies no one.
 */
export const deliverabilityGuard: EventSubscriber = {
  name: "deliverability-guard",
  async handle(event, { env, tenant }) {
    if (!isBadEvent(event) || !event.message_id) return;
    const m = await tenant.db
      .select({ scenarioId: messages.scenarioId, campaignId: messages.campaignId })
      .from(messages)
      .where(scoped(tenant, messages, sql`${messages.id} = ${event.message_id}`))
      .get();
    const scope = m?.campaignId
      ? { kind: "campaign" as const, id: m.campaignId }
      : m?.scenarioId
        ? { kind: "scenario" as const, id: m.scenarioId }
        : null;
    if (!scope) return;
    const s = await getDeliverability(tenant);
    const h = await healthOf(tenant, scope.id, s.window_days);
    if (h.sent < s.min_sends) return;
    const reason =
      h.complaint_rate > s.complaint_pause_rate
        ? "complaint_rate"
        : h.bounce_rate > s.bounce_pause_rate
          ? "bounce_rate"
          : null;
    if (!reason) return;
    const paused = await (scope.kind === "scenario"
      ? transitionScenario(env, tenant, scope.id, "pause", reason)
      : transitionCampaign(env, tenant, scope.id, "pause", { reason })
    ).then(
      () => true,
      () => false, // not active or sending any more (paused already, finished, stopped)
    );
    if (!paused) return;
    const figure =
      reason === "bounce_rate" ? `${pct(h.bounce_rate)} bounced` : `${pct(h.complaint_rate)} complained`;
    const limit = reason === "bounce_rate" ? pct(s.bounce_pause_rate) : pct(s.complaint_pause_rate);
    await notifyMembers(
      tenant,
      `${scope.kind === "scenario" ? "Scenario" : "Campaign"} paused: ${reason.replace("_", " ")} ${figure}`,
      `${figure} of ${h.sent} emails in the last ${s.window_days} days (the limit is ${limit}). ` +
        `Check the list, then resume it (POST /api/v1/${scope.kind}s/${scope.id}/resume).`,
    );
  },
};
