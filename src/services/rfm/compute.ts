/**
 * RFM (recency, frequency, monetary) per contact, computed inside D1 with window functions (never
 * by loading orders into the Worker), and the co-purchase pairs the recommendations read.
 * Scores are quintiles among the organization's purchasers: score = floor(5 x (rank - 1) / n) with
 * RANK() ascending (ties share a rank), so r is 4 for the most recent buyers and f and m are 4 for
 * the most orders and money. A contact changing segment fires rfm_segment_changed.
 */
import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import { storeContactEvents } from "../contacts/changes";
import { getSettings, putSettings } from "../organizations/store";
import { tenantBatch, tenantSql } from "../../lib/tenant-sql";

export interface RfmSettings {
  vip_threshold: number;
  standard_threshold: number;
  churn_days: number;
  /** Given to templates as {{ offer_code }} (win-back offers). */
  offer_code: string | null;
}
export const DEFAULT_RFM: RfmSettings = {
  vip_threshold: 3.5,
  standard_threshold: 1.5,
  churn_days: 180,
  offer_code: null,
};
export const getRfmSettings = (tenant: Tenant) => getSettings(tenant, "rfm", DEFAULT_RFM);
export async function putRfmSettings(tenant: Tenant, patch: Partial<RfmSettings>) {
  const next = { ...(await getRfmSettings(tenant)), ...patch };
  await putSettings(tenant, "rfm", next);
  return next;
}

const DAY = 86_400_000;
/** Co-purchased products kept per product. */
export const PAIRS_PER_PRODUCT = 10;
/** Contacts per fit-score statement. */
const FIT_PAGE = 5000;

/** Replace the organization's co-purchase pairs: orders holding both, lift, the top 10 per product. */
export async function recomputePairs(tenant: Tenant) {
  const [, inserted] = await tenantBatch(tenant, [
    tenantSql(tenant, "DELETE FROM product_pairs WHERE organization_id = ?1"),
    tenantSql(
      tenant,
      `INSERT INTO product_pairs (organization_id, product_id, related_id, orders, lift, rank)
         WITH n AS (SELECT count(DISTINCT order_id) AS orders FROM order_lines WHERE organization_id = ?1),
           per AS (SELECT product_id, count(DISTINCT order_id) AS orders FROM order_lines WHERE organization_id = ?1 GROUP BY product_id),
           pairs AS (
             SELECT a.product_id AS product_id, b.product_id AS related_id, count(DISTINCT a.order_id) AS together
             FROM order_lines a JOIN order_lines b
               ON b.organization_id = a.organization_id AND b.order_id = a.order_id AND b.product_id <> a.product_id
             WHERE a.organization_id = ?1 GROUP BY a.product_id, b.product_id),
           ranked AS (
             SELECT p.product_id, p.related_id, p.together,
               (p.together * 1.0 * (SELECT orders FROM n)) / (pa.orders * pb.orders) AS lift,
               ROW_NUMBER() OVER (PARTITION BY p.product_id ORDER BY p.together DESC,
                 (p.together * 1.0) / (pa.orders * pb.orders) DESC, p.related_id) AS rank
             FROM pairs p JOIN per pa ON pa.product_id = p.product_id JOIN per pb ON pb.product_id = p.related_id)
         SELECT ?1, product_id, related_id, together, lift, rank FROM ranked WHERE rank <= ?2`,
      PAIRS_PER_PRODUCT,
    ),
  ]);
  return inserted?.meta.changes ?? 0;
}

/**
 * RFM of every purchaser in one statement; rows are written only when r, f, m, score or segment
 * changed (recency in days is derived from last_purchase_at when read). Answers the segment changes.
 */
export async function recomputeRfmScores(tenant: Tenant, at = now()) {
  const s = await getRfmSettings(tenant);
  const res = await tenantSql(
    tenant,
    `WITH p AS (
         SELECT id AS contact_id, purchase_count AS f, total_spent AS m, last_purchase_at AS last,
           CAST((?2 - last_purchase_at) / 86400000 AS INTEGER) AS recency_days
         FROM contacts WHERE organization_id = ?1 AND purchase_count > 0 AND last_purchase_at IS NOT NULL),
       ranked AS (
         SELECT *, count(*) OVER () AS n,
           RANK() OVER (ORDER BY recency_days DESC) AS rr,
           RANK() OVER (ORDER BY f ASC) AS fr,
           RANK() OVER (ORDER BY m ASC) AS mr
         FROM p),
       scored AS (
         SELECT contact_id, recency_days, f, m,
           min(4, ((rr - 1) * 5) / n) AS r5, min(4, ((fr - 1) * 5) / n) AS f5, min(4, ((mr - 1) * 5) / n) AS m5
         FROM ranked),
       final AS (
         SELECT contact_id, recency_days, f, m, r5, f5, m5, round((r5 + f5 + m5) / 3.0, 2) AS score,
           CASE WHEN recency_days > ?3 THEN 'Churn'
                WHEN round((r5 + f5 + m5) / 3.0, 2) >= ?4 THEN 'VIP'
                WHEN round((r5 + f5 + m5) / 3.0, 2) >= ?5 THEN 'Standard'
                ELSE 'At Risk' END AS segment
         FROM scored)
       UPDATE contacts SET
         rfm_previous_segment = contacts.rfm_segment,
         rfm_segment = final.segment,
         rfm_score = final.score,
         rfm = json_object('frequency', final.f, 'monetary', final.m, 'r', final.r5, 'f', final.f5, 'm', final.m5,
           'score', final.score, 'segment', final.segment, 'computed_at', ?2)
       FROM final
       WHERE contacts.organization_id = ?1 AND contacts.id = final.contact_id
         AND (contacts.rfm IS NULL OR contacts.rfm_segment IS NOT final.segment OR contacts.rfm_score IS NOT final.score
           OR json_extract(contacts.rfm, '$.r') IS NOT final.r5 OR json_extract(contacts.rfm, '$.f') IS NOT final.f5
           OR json_extract(contacts.rfm, '$.m') IS NOT final.m5 OR json_extract(contacts.rfm, '$.monetary') IS NOT final.m)
       RETURNING id, rfm_previous_segment AS before, rfm_segment AS after`,
    at,
    s.churn_days,
    s.vip_threshold,
    s.standard_threshold,
  ).all<{ id: string; before: string | null; after: string }>();
  return res.results.filter((r) => r.before !== r.after);
}

/**
 * The fit score (0-100) of a page of contacts: 50 + min(40, 10 x rfm score) + min(20, 2 x engagement
 * events in 90 days) + min(25, 5 x purchases) - the recency penalty (last purchase under 30 days: 5;
 * 30-180 days: 15; older or none: 30). Engagement events are the human opens and clicks the score
 * history recorded. Written only where it changed. Answers the last contact id of the page.
 */
export async function recomputeFitPage(tenant: Tenant, after: string | null, at = now()) {
  const res = await tenantSql(
    tenant,
    `WITH page AS (SELECT id FROM contacts WHERE +organization_id = ?1 AND id > ?2 ORDER BY id LIMIT ?4),
       fit AS (
         SELECT c.id, max(0, min(100,
           50 + min(40, 10 * coalesce(c.rfm_score, 0))
              + min(20, 2 * (SELECT count(*) FROM score_history h WHERE h.organization_id = ?1 AND h.contact_id = c.id
                             AND h.created_at >= ?3 - 90 * 86400000 AND h.cause IN ('first_open', 'open', 'first_click', 'click')))
              + min(25, 5 * c.purchase_count)
              - CASE WHEN c.last_purchase_at IS NULL THEN 30
                     WHEN ?3 - c.last_purchase_at < 30 * 86400000 THEN 5
                     WHEN ?3 - c.last_purchase_at <= 180 * 86400000 THEN 15
                     ELSE 30 END)) AS score
         FROM contacts c JOIN page ON page.id = c.id)
       UPDATE contacts SET fit_score = fit.score FROM fit
       WHERE contacts.organization_id = ?1 AND contacts.id = fit.id AND contacts.fit_score IS NOT fit.score`,
    after ?? "",
    at,
    FIT_PAGE,
  ).run();
  const last = await tenantSql(
    tenant,
    "SELECT id FROM contacts WHERE +organization_id = ?1 AND id > ?2 ORDER BY id LIMIT 1 OFFSET ?3",
    after ?? "",
    FIT_PAGE - 1,
  ).first<{ id: string }>();
  return { next: last?.id ?? null, changed: res.meta.changes ?? 0 };
}

/** rfm_segment_changed events for the rules (only when a rule listens). */
export async function segmentChangeEvents(
  env: Env,
  tenant: Tenant,
  jobId: string,
  changes: { id: string; before: string | null; after: string }[],
) {
  await storeContactEvents(
    env,
    tenant,
    changes.map((c) => ({
      type: "rfm_segment_changed" as const,
      contactId: c.id,
      key: `${c.id}:${jobId}`,
      properties: { from: c.before, to: c.after },
    })),
  );
}

/** GET /api/v1/rfm: contacts per segment (None: no purchase yet) and when they were computed. */
export async function rfmDistribution(tenant: Tenant) {
  const rows = await tenantSql(
    tenant,
    "SELECT coalesce(rfm_segment, 'None') AS segment, count(*) AS n, max(json_extract(rfm, '$.computed_at')) AS at FROM contacts WHERE organization_id = ?1 GROUP BY 1",
  ).all<{ segment: string; n: number; at: number | null }>();
  const segments = { VIP: 0, Standard: 0, "At Risk": 0, Churn: 0, None: 0 } as Record<
    "VIP" | "Standard" | "At Risk" | "Churn" | "None",
    number
  >;
  let computed: number | null = null;
  for (const r of rows.results) {
    segments[r.segment as keyof typeof segments] = r.n;
    if (r.at) computed = Math.max(computed ?? 0, r.at);
  }
  return { computed_at: computed ? new Date(computed).toISOString() : null, segments };
}

export const recencyDays = (lastPurchaseAt: number | null, at = now()) =>
  lastPurchaseAt === null ? null : Math.floor((at - lastPurchaseAt) / DAY);
