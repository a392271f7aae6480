/**
 * What to recommend a customer, by their RFM segment: VIP and Standard get cross_sell (the products
 * most often bought with what they bought, by orders together then lift, not bought yet), At Risk
 * get rebuy (what they bought, most recent then most often first), Churn get winback (the best
 * sellers of their favourite category). At most 3, available products only. One D1 query.
 */
import type { Tenant } from "../../lib/tenant";
import { productView, type ProductRow } from "../products/store";
import { type TenantSqlText, tenantSql } from "../../lib/tenant-sql";

export type RecommendationKind = "cross_sell" | "rebuy" | "winback";

export const kindOfSegment = (segment: string | null): RecommendationKind | null =>
  segment === "VIP" || segment === "Standard"
    ? "cross_sell"
    : segment === "At Risk"
      ? "rebuy"
      : segment === "Churn"
        ? "winback"
        : null;

const QUERIES: Record<RecommendationKind, TenantSqlText> = {
  cross_sell: `SELECT p.* FROM product_pairs pp
      JOIN products p ON p.organization_id = pp.organization_id AND p.id = pp.related_id AND p.available = 1
      WHERE pp.organization_id = ?1
        AND pp.product_id IN (SELECT product_id FROM order_lines WHERE organization_id = ?1 AND contact_id = ?2)
        AND pp.related_id NOT IN (SELECT product_id FROM order_lines WHERE organization_id = ?1 AND contact_id = ?2)
      GROUP BY p.id ORDER BY sum(pp.orders) DESC, max(pp.lift) DESC, p.id LIMIT 3`,
  rebuy: `SELECT p.* FROM order_lines l
      JOIN products p ON p.organization_id = l.organization_id AND p.id = l.product_id AND p.available = 1
      WHERE l.organization_id = ?1 AND l.contact_id = ?2
      GROUP BY p.id ORDER BY max(l.ordered_at) DESC, count(*) DESC, p.id LIMIT 3`,
  winback: `SELECT p.* FROM order_lines l
      JOIN products p ON p.organization_id = l.organization_id AND p.id = l.product_id AND p.available = 1
      WHERE l.organization_id = ?1 AND p.category = (
        SELECT p2.category FROM order_lines l2 JOIN products p2 ON p2.organization_id = l2.organization_id AND p2.id = l2.product_id
        WHERE l2.organization_id = ?1 AND l2.contact_id = ?2 AND p2.category IS NOT NULL
        GROUP BY p2.category ORDER BY count(*) DESC, p2.category LIMIT 1)
      GROUP BY p.id ORDER BY count(DISTINCT l.order_id) DESC, p.id LIMIT 3`,
};

const toProduct = (r: Record<string, unknown>): ProductRow => ({
  organizationId: r.organization_id as string,
  id: r.id as string,
  name: r.name as string,
  category: r.category as string | null,
  price: r.price as number | null,
  currency: r.currency as string | null,
  url: r.url as string | null,
  imageUrl: r.image_url as string | null,
  available: r.available === 1,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

export async function recommendationsFor(tenant: Tenant, contact: { id: string; rfmSegment: string | null }) {
  const kind = kindOfSegment(contact.rfmSegment);
  if (!kind) return { kind: null, products: [] };
  const res = await tenantSql(tenant, QUERIES[kind], contact.id).all<Record<string, unknown>>();
  return { kind, products: res.results.map((r) => productView(toProduct(r))) };
}

/** Template variables: `recommendations` (name, url, image_url, price), `recommendation_kind`. */
export const recommendationContext = (r: Awaited<ReturnType<typeof recommendationsFor>>) => ({
  recommendation_kind: r.kind,
  recommendations: r.products.map((p) => ({
    id: p.id,
    name: p.name,
    url: p.url,
    image_url: p.image_url,
    price: p.price,
    currency: p.currency,
  })),
});

/**
 * For a page of audience contacts: which have a recommendation to send (their kind, when at least
 * one product qualifies), in one query.
 */
export async function recommendationKinds(
  tenant: Tenant,
  contacts: { id: string; rfmSegment: string | null }[],
) {
  const out = new Map<string, RecommendationKind | null>();
  const ids = contacts.filter((c) => kindOfSegment(c.rfmSegment)).map((c) => c.id);
  for (const c of contacts) out.set(c.id, null);
  if (!ids.length) return out;
  const exists = (kind: RecommendationKind) =>
    `EXISTS (${QUERIES[kind].replaceAll("?2", "c.id").replace(/LIMIT 3$/, "")})`;
  const res = await tenantSql(
    tenant,
    `SELECT c.id, c.rfm_segment,
         CASE WHEN c.rfm_segment IN ('VIP', 'Standard') THEN ${exists("cross_sell")}
              WHEN c.rfm_segment = 'At Risk' THEN ${exists("rebuy")}
              WHEN c.rfm_segment = 'Churn' THEN ${exists("winback")} ELSE 0 END AS ok
       FROM contacts c WHERE +c.organization_id = ?1 AND c.id IN (SELECT value FROM json_each(?3))`,
    null,
    JSON.stringify(ids),
  ).all<{ id: string; rfm_segment: string | null; ok: number }>();
  for (const r of res.results) if (r.ok) out.set(r.id, kindOfSegment(r.rfm_segment));
  return out;
}
