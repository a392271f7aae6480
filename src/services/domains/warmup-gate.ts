/**
 * The warm-up in the SEND consumer: each batch's messages from a domain with a ramp take today's
 * remaining allowance in one D1 batch (read, then add at most what is left); the rest wait for the
 * next UTC day. One read per organization and batch when no domain of it has a ramp.
 */
import type { Tenant } from "../../lib/tenant";
import { tenantBatch, tenantSql } from "../../lib/tenant-sql";
import { MAX_QUEUE_DELAY_SECONDS } from "../../lib/result";
import { parseJson } from "../../lib/json";
import { domainsOf } from "./enforce";
import { allowanceOn, untilTomorrow, utcDay, type Warmup } from "./warmup";

export const WARMUP_REASON = "warmup";

/** Split jobs into the ones today's allowances admit and the ones held until tomorrow. */
export async function warmupGate<J extends { from: { email: string } }>(
  tenant: Tenant,
  jobs: J[],
  at: number,
): Promise<{ admitted: J[]; held: J[]; afterSeconds: number }> {
  const afterSeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, untilTomorrow(at));
  if (!jobs.length) return { admitted: jobs, held: [], afterSeconds };
  const ramps = await tenantSql(
    tenant,
    "SELECT id, domain, warmup FROM sending_domains WHERE organization_id = ?1 AND warmup IS NOT NULL",
  ).all<{ id: string; domain: string; warmup: string }>();
  if (!ramps.results.length) return { admitted: jobs, held: [], afterSeconds };
  const byDomain = new Map(ramps.results.map((r) => [r.domain, r]));
  const groups = new Map<string, J[]>();
  const admitted: J[] = [];
  for (const job of jobs) {
    // The most specific registered domain with a ramp covers the From address.
    const d = domainsOf(job.from.email).find((x) => byDomain.has(x));
    if (!d) admitted.push(job);
    else groups.set(d, [...(groups.get(d) ?? []), job]);
  }
  const held: J[] = [];
  const day = utcDay(at);
  for (const [domain, list] of groups) {
    const r = byDomain.get(domain) as { id: string; warmup: string };
    const w = parseJson<Warmup | null>(r.warmup, null);
    if (!w) {
      admitted.push(...list);
      continue;
    }
    const allowance = allowanceOn(w, at);
    // One transaction: the count before, then the count after taking at most what is left.
    const [, before, after] = await tenantBatch<{ count: number }>(tenant, [
      tenantSql(
        tenant,
        `INSERT INTO domain_daily_counters (domain_id, day, count)
         SELECT ?2, ?3, 0 FROM sending_domains WHERE organization_id = ?1 AND id = ?2 ON CONFLICT DO NOTHING`,
        r.id,
        day,
      ),
      tenantSql(
        tenant,
        `SELECT c.count FROM domain_daily_counters c JOIN sending_domains d ON d.id = c.domain_id AND d.organization_id = ?1
         WHERE c.domain_id = ?2 AND c.day = ?3`,
        r.id,
        day,
      ),
      tenantSql(
        tenant,
        `UPDATE domain_daily_counters SET count = max(count, min(?4, count + ?5))
         WHERE domain_id = ?2 AND day = ?3 AND EXISTS (SELECT 1 FROM sending_domains WHERE organization_id = ?1 AND id = ?2)
         RETURNING count`,
        r.id,
        day,
        allowance,
        list.length,
      ),
    ]);
    const taken = Math.max(0, (after?.results[0]?.count ?? 0) - (before?.results[0]?.count ?? 0));
    admitted.push(...list.slice(0, taken));
    held.push(...list.slice(taken));
  }
  return { admitted, held, afterSeconds };
}
