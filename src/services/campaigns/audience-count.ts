import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import { asTenantSql, tenantSql } from "../../lib/tenant-sql";
import { anyOf, membershipOf } from "../segments/query";
import { getSegments } from "../segments/store";

/**
 * The contacts of any of the `include` segments and none of the `exclude` ones, counted, with the
 * first addresses: the campaign wizard's live count before a campaign exists. The dry run, on the
 * campaign, adds what the send leaves out (unsubscribed, suppressed, no consent, caps).
 */
export async function audienceEstimate(
  tenant: Tenant,
  include: string[],
  exclude: string[],
  sampleSize = 10,
): Promise<{ count: number; sample: string[] }> {
  const at = now();
  const [inc, exc] = await Promise.all([
    getSegments(tenant, include, "segment_ids"),
    getSegments(tenant, exclude, "exclude_segment_ids"),
  ]);
  const inM = inc.map((s) => membershipOf(s, at));
  const exM = exc.map((s) => membershipOf(s, at));
  /** The audience filter with its parameters numbered from ?first. */
  const filter = (first: number) => {
    const i = anyOf(inM, first);
    const e = anyOf(exM, first + i.params.length);
    return {
      sql: `c.organization_id = ?1 AND ${i.sql} AND NOT ${e.sql}`,
      params: [...i.params, ...e.params],
    };
  };
  const counted = filter(2);
  const sampled = filter(3);
  const [count, sample] = await Promise.all([
    tenantSql(
      tenant,
      asTenantSql(`SELECT count(*) AS n FROM contacts c WHERE ${counted.sql}`),
      ...counted.params,
    ).first<{
      n: number;
    }>(),
    tenantSql(
      tenant,
      asTenantSql(`SELECT c.email FROM contacts c WHERE ${sampled.sql} ORDER BY c.id LIMIT ?2`),
      sampleSize,
      ...sampled.params,
    ).all<{ email: string }>(),
  ]);
  return { count: count?.n ?? 0, sample: sample.results.map((r) => r.email) };
}
