import { tenantFor } from "../db/route";
import { now } from "../lib/clock";
import { parseJson } from "../lib/json";
import type { Tenant } from "../lib/tenant";
import { storeEvents } from "../services/events/ingest/store";
import { SOURCES } from "../services/events/normalize/row";
import { crossTenantSql, tenantSql } from "../lib/tenant-sql";

const PAGE = 500;
const DAY_MS = 86_400_000;

interface DateRule {
  id: string;
  organization_id: string;
  trigger_config: string;
}

/**
 * Daily: for every enabled date_reached rule, the contacts whose date attribute (YYYY-MM-DD, or an
 * ISO-8601 date-time) falls `offset_days` before today (UTC) — on the same month and day every year
 * when the rule is yearly (a birthday), on that exact date otherwise (a renewal) — get a
 * date_reached event through EVENTS, one per (rule, contact, day): a second run the same day
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
  if (!cfg.attribute || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(cfg.attribute)) return 0;
  const today = new Date(at).toISOString().slice(0, 10);
  const target = new Date(at - (cfg.offset_days ?? 0) * DAY_MS).toISOString().slice(0, 10);
  const path = `$."${cfg.attribute}"`;
  const match = cfg.yearly
    ? "substr(json_extract(c.attributes, ?3), 6, 5) = ?4"
    : "substr(json_extract(c.attributes, ?3), 1, 10) = ?4";
  let after = "";
  let fired = 0;
  for (;;) {
    const page = await tenantSql(
      tenant,
      `SELECT c.id FROM contacts c WHERE +c.organization_id = ?1 AND c.id > ?2 AND c.status = 'subscribed'
           AND json_type(c.attributes, ?3) = 'text' AND ${match}
         ORDER BY c.id LIMIT ?5`,
      after,
      path,
      cfg.yearly ? target.slice(5) : target,
      PAGE,
    ).all<{ id: string }>();
    const ids = page.results.map((r) => r.id);
    if (ids.length) {
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
    const last = ids.at(-1);
    if (!last || ids.length < PAGE) return fired;
    after = last;
  }
}

export async function dateReachedJob(_controller: ScheduledController, env: Env): Promise<void> {
  const n = await runDateReached(env);
  if (n) console.log(`date_reached: ${n} event(s)`);
}
