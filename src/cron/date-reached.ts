import { tenantFor } from "../db/route";
import { now } from "../lib/clock";
import { parseJson } from "../lib/json";
import type { Tenant } from "../lib/tenant";
import { storeEvents } from "../services/events/ingest/store";
import { SOURCES } from "../services/events/normalize/row";
import { crossTenantSql, tenantSql } from "../lib/tenant-sql";
import { contactsOnDate, targetDate } from "../services/contacts/dates";

interface DateRule {
  id: string;
  organization_id: string;
  trigger_config: string;
}

/**
 * Daily: for every enabled date_reached rule, the contacts whose date attribute falls on today
 * (services/contacts/dates.ts: offset, yearly) get a date_reached event through EVENTS, one per (rule, contact, day): a second run the same day
 * stores nothing new.
 */
export async function runDateReached(env: Env, at = now()): Promise<number> {
  const orgs = await crossTenantSql(env.DB, "SELECT id FROM organizations ORDER BY id").all<{ id: string }>();
  let fired = 0;
  for (const { id } of orgs.results) {
    const tenant = await tenantFor(env, id);
    const rules = await tenantSql(
      tenant,
      "SELECT id, organization_id, trigger_config FROM rules WHERE organization_id = ?1 AND trigger = 'date_reached' AND enabled = 1",
    ).all<DateRule>();
    for (const rule of rules.results) fired += await fireRule(env, tenant, rule, at);
  }
  return fired;
}

async function fireRule(env: Env, tenant: Tenant, rule: DateRule, at: number): Promise<number> {
  const cfg = parseJson<{ attribute?: string; offset_days?: number; yearly?: boolean }>(
    rule.trigger_config,
    {},
  );
  if (!cfg.attribute) return 0;
  const match = { ...cfg, attribute: cfg.attribute };
  const today = new Date(at).toISOString().slice(0, 10);
  const target = targetDate(match, at);
  let fired = 0;
  for await (const ids of contactsOnDate(tenant, match, at)) {
    const res = await storeEvents(
      tenant,
      env.EVENTS_QUEUE,
      ids.map((contactId) => ({
        source: SOURCES.contact,
        dedupKey: `date_reached:${rule.id}:${contactId}:${today}`,
        type: "date_reached",
        contactId,
        occurredAt: at,
        raw: {
          type: "date_reached",
          properties: { rule_id: rule.id, attribute: cfg.attribute, date: target },
        },
      })),
    );
    fired += res.stored;
  }
  return fired;
}

export async function dateReachedJob(_controller: ScheduledController, env: Env): Promise<void> {
  const n = await runDateReached(env);
  if (n) console.log(`date_reached: ${n} event(s)`);
}
