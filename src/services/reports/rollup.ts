/**
 * Report days as stored and as counted: a day more than REPORT_OPEN_DAYS old is closed (late opens
 * and clicks have come in) and is read from report_days, rolled up there the first time a report
 * needs it; the open days are counted from the source rows each time (aggregate.ts). A report over
 * a year thus reads about 365 stored rows per kind plus a week of messages.
 */
import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";
import { COUNTERS, countDays, type DayCounts, REPORT_KINDS, type ReportKind } from "./aggregate";
import type { ReportDay } from "./days";

export const REPORT_OPEN_DAYS = 8;
const DAY_MS = 86_400_000;
/** Closed days rolled up per pass (a first report over years of history works through them). */
const ROLLUP_CHUNK = 31;

async function storedDays(tenant: Tenant, days: string[], kind: ReportKind, tz: string) {
  if (!days.length) return [];
  const res = await tenantSql(
    tenant,
    `SELECT day, kind, group_id, ${COUNTERS.join(", ")} FROM report_days
     WHERE organization_id = ?1 AND kind = ?2 AND timezone = ?3 AND day IN (SELECT value FROM json_each(?4))`,
    kind,
    tz,
    JSON.stringify(days),
  ).all<DayCounts>();
  return res.results;
}

/** Count and store every kind of these closed days (replacing rows cut in another timezone). */
async function rollUp(tenant: Tenant, days: ReportDay[], tz: string) {
  for (let i = 0; i < days.length; i += ROLLUP_CHUNK) {
    const part = days.slice(i, i + ROLLUP_CHUNK);
    const rows = (await Promise.all(REPORT_KINDS.map((k) => countDays(tenant, part, k)))).flat();
    const names = JSON.stringify(part.map((d) => d.day));
    await tenantSql(
      tenant,
      "DELETE FROM report_days WHERE organization_id = ?1 AND day IN (SELECT value FROM json_each(?2))",
      names,
    ).run();
    for (let j = 0; j < rows.length; j += 500)
      await tenantSql(
        tenant,
        `INSERT INTO report_days (organization_id, day, kind, group_id, ${COUNTERS.join(", ")}, timezone)
         SELECT ?1, j.value ->> 'day', j.value ->> 'kind', j.value ->> 'group_id',
           ${COUNTERS.map((c) => `j.value ->> '${c}'`).join(", ")}, ?2
         FROM json_each(?3) AS j WHERE true ON CONFLICT DO NOTHING`,
        tz,
        JSON.stringify(rows.slice(j, j + 500)),
      ).run();
  }
}

/** The counters of these days for one kind of group, stored where closed, counted where open. */
export async function dayCounts(
  tenant: Tenant,
  days: ReportDay[],
  kind: ReportKind,
  tz: string,
  at = now(),
): Promise<DayCounts[]> {
  const closedBefore = at - REPORT_OPEN_DAYS * DAY_MS;
  const closed = days.filter((d) => d.hi <= closedBefore);
  const open = days.filter((d) => d.hi > closedBefore && d.lo <= at);
  // Which closed days are rolled up already: their `all` row says so.
  const rolled = new Set(
    (
      await storedDays(
        tenant,
        closed.map((d) => d.day),
        "all",
        tz,
      )
    ).map((r) => r.day),
  );
  const missing = closed.filter((d) => !rolled.has(d.day));
  if (missing.length) await rollUp(tenant, missing, tz);
  const [stored, live] = await Promise.all([
    storedDays(
      tenant,
      closed.map((d) => d.day),
      kind,
      tz,
    ),
    countDays(tenant, open, kind),
  ]);
  return [...stored, ...live];
}
