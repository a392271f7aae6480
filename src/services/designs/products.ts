/**
 * A products block with `source: "product_ids"`: the products named, written into the email as
 * they are when the template is saved (name, picture, price, link), the same cells as the
 * recommendations' loop. Product data is text: HTML-escaped, and `{` written as an entity so
 * Liquid never reads it.
 */
import { and, eq, inArray } from "drizzle-orm";
import { products } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import type { Tenant } from "../../lib/tenant";
import type { Design } from "./schema";
import { eachBlock } from "./walk";

export interface ProductInfo {
  name: string;
  url: string | null;
  image_url: string | null;
  price: number | null;
  currency: string | null;
}
export type ProductMap = Map<string, ProductInfo>;

const text = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\{/g, "&#123;");
/** An http(s) address, else none (a product's URL is data from an import). */
const safeUrl = (u: string | null) => (u && /^https?:\/\/[^\s"<>]+$/i.test(u) ? text(u) : null);

/** The products the design names, read once; an id the organization has no product for is a 422. */
export async function designProducts(tenant: Tenant, d: Design): Promise<ProductMap> {
  const ids = new Set<string>();
  eachBlock(d.blocks, (b) => {
    if (b.type === "products" && b.source === "product_ids")
      for (const id of b.product_ids ?? []) ids.add(id);
  });
  const out: ProductMap = new Map();
  if (!ids.size) return out;
  const rows = await tenant.db
    .select()
    .from(products)
    .where(and(eq(products.organizationId, tenant.orgId), inArray(products.id, [...ids])))
    .all();
  for (const r of rows)
    out.set(r.id, { name: r.name, url: r.url, image_url: r.imageUrl, price: r.price, currency: r.currency });
  const missing = [...ids].filter((id) => !out.has(id));
  if (missing.length)
    throw new ApiError("VALIDATION_ERROR", `no product ${missing.join(", ")} (POST /api/v1/products)`, [
      { field: "design", message: `unknown product ids: ${missing.join(", ")}` },
    ]);
  return out;
}

/** The products' cells, as the recommendations' loop writes them. */
export function pickedTable(ids: string[], columns: number, known: ProductMap): string {
  const width = Math.floor(100 / columns);
  const cells = ids
    .map((id) => known.get(id))
    .filter((p): p is ProductInfo => !!p)
    .map((p) => {
      const href = safeUrl(p.url);
      const img = safeUrl(p.image_url);
      const picture = img
        ? `<img src="${img}" alt="${text(p.name)}" width="160" style="max-width:100%;height:auto;border:0">`
        : "";
      const price = p.price !== null ? `<p style="margin:0">${p.price} ${text(p.currency ?? "")}</p>` : "";
      return `<td style="width:${width}%;padding:8px;vertical-align:top;text-align:center">${href ? `<a href="${href}">${picture}</a>` : picture}<p style="margin:8px 0 4px;font-weight:600">${text(p.name)}</p>${price}</td>`;
    });
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += columns)
    rows.push(`<tr>${cells.slice(i, i + columns).join("")}</tr>`);
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rows.join("")}</table>`;
}

/** The products as text lines. */
export const pickedText = (ids: string[], known: ProductMap) =>
  ids
    .map((id) => known.get(id))
    .filter((p): p is ProductInfo => !!p)
    .map((p) => `- ${p.name.replace(/\{/g, "(")}${p.url ? `: ${p.url}` : ""}`)
    .join("\n");
