import { tenantFor } from "../db/route";
import { now } from "../lib/clock";
import { crossTenantSql } from "../lib/tenant-sql";
import { contactsOnDate } from "../services/contacts/dates";
import { entryOf } from "../services/scenarios/flow/entry";
import { enrollContacts } from "../services/scenarios/flow/runs";
import type { ScenarioRow } from "../services/scenarios/store";
import { getScenario } from "../services/scenarios/store";

/**
 * Daily: each active journey with a date entry starts a run for the contacts whose date attribute
 * falls on today (services/contacts/dates.ts: offset_days, yearly), by its re-entry policy. The
 * run's dedup value is the date: a second pass the same day starts nothing. With `at`, the run
 * holds until that time of day in the contact's timezone (else the scenario's).
 */
export async function runJourneyDates(env: Env, at = now()): Promise<number> {
  const rows = await crossTenantSql(
    env.DB,
    "SELECT id, organization_id FROM scenarios WHERE status = 'active' AND entry ->> '$.type' = 'date' ORDER BY organization_id, id",
  ).all<{ id: string; organization_id: string }>();
  const today = new Date(at).toISOString().slice(0, 10);
  let started = 0;
  for (const r of rows.results) {
    const tenant = await tenantFor(env, r.organization_id);
    const scenario: ScenarioRow | null = await getScenario(tenant, r.id).catch(() => null);
    const entry = scenario ? entryOf(scenario) : null;
    if (!scenario || entry?.type !== "date") continue;
    for await (const ids of contactsOnDate(tenant, entry, at)) {
      const out = await enrollContacts(env, tenant, scenario, ids, "date", {
        dedupOf: () => `date=${today}`,
        at_time: entry.at ?? null,
      });
      started += out.enrolled;
    }
  }
  return started;
}

export async function journeyDatesJob(_controller: ScheduledController, env: Env): Promise<void> {
  const n = await runJourneyDates(env);
  if (n) console.log(`journey dates: ${n} run(s) started`);
}
