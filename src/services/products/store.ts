import { and, asc, eq, gt } from "drizzle-orm";
import Papa from "papaparse";
import { productPairs, products } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { notFound } from "../../lib/errors";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";

export type ProductRow = typeof products.$inferSelect;
export interface ProductInput {
  id: string;
  name: string;
  category?: string | null;
  price?: number | null;
  currency?: string | null;
  url?: string | null;
  image_url?: string | null;
  available?: boolean;
}

export const productView = (p: ProductRow) => ({
  id: p.id,
  name: p.name,
  category: p.category,
  price: p.price,
  currency: p.currency,
  url: p.url,
  image_url: p.imageUrl,
  available: p.available,
  created_at: iso(p.createdAt) as string,
  updated_at: iso(p.updatedAt) as string,
});

/** Upsert products by id, 500 per statement (each row travels in one JSON parameter). */
export async function upsertProducts(tenant: Tenant, input: ProductInput[]) {
  const at = now();
  for (let i = 0; i < input.length; i += 500) {
    const rows = input.slice(i, i + 500).map((p) => ({
      id: p.id,
      name: p.name,
      category: p.category ?? null,
      price: p.price ?? null,
      currency: p.currency ?? null,
      url: p.url ?? null,
      image_url: p.image_url ?? null,
      available: p.available === false ? 0 : 1,
    }));
    await tenantSql(
      tenant,
      `INSERT INTO products (organization_id, id, name, category, price, currency, url, image_url, available, created_at, updated_at)
         SELECT ?1, j.value ->> 'id', j.value ->> 'name', j.value ->> 'category', j.value ->> 'price', j.value ->> 'currency',
           j.value ->> 'url', j.value ->> 'image_url', j.value ->> 'available', ?2, ?2
         FROM json_each(?3) AS j WHERE true
         ON CONFLICT (organization_id, id) DO UPDATE SET name = excluded.name, category = excluded.category,
           price = excluded.price, currency = excluded.currency, url = excluded.url, image_url = excluded.image_url,
           available = excluded.available, updated_at = excluded.updated_at`,
      at,
      JSON.stringify(rows),
    ).run();
  }
}

export async function getProduct(tenant: Tenant, id: string): Promise<ProductRow> {
  const row = await tenant.db
    .select()
    .from(products)
    .where(scoped(tenant, products, eq(products.id, id)))
    .get();
  if (!row) throw notFound("product");
  return row;
}

/** The products most often bought with this one (the co-purchase pairs of the last recompute). */
export async function relatedProducts(tenant: Tenant, id: string, limit = 5) {
  const rows = await tenant.db
    .select({ product: products, orders: productPairs.orders, lift: productPairs.lift })
    .from(productPairs)
    .innerJoin(
      products,
      and(eq(products.organizationId, productPairs.organizationId), eq(products.id, productPairs.relatedId)),
    )
    .where(scoped(tenant, productPairs, eq(productPairs.productId, id)))
    .orderBy(asc(productPairs.rank))
    .limit(limit)
    .all();
  return rows.map((r) => ({
    ...productView(r.product),
    orders_together: r.orders,
    lift: Math.round(r.lift * 100) / 100,
  }));
}

export async function listProducts(tenant: Tenant, q: { limit: number; cursor?: string; category?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(products)
    .where(
      scoped(
        tenant,
        products,
        after ? gt(products.id, String(after[0])) : undefined,
        q.category ? eq(products.category, q.category) : undefined,
      ),
    )
    .orderBy(asc(products.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

const HEADER = ["id", "name", "category", "price", "currency", "url", "image_url", "available"];
const noControl = /^[^\u0000-\u001f\u007f]*$/;

/** CSV `id,name,category,price,currency,url,image_url,available`: upserted, bad rows reported by line. */
export async function importProducts(tenant: Tenant, csv: string) {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const [header, ...rows] = parsed.data;
  const cols = (header ?? []).map((h) => h.trim().toLowerCase());
  const rejected: { line: number; id: string; reason: string }[] = [];
  if (!cols.includes("id") || !cols.includes("name"))
    return {
      imported: 0,
      rejected: [{ line: 1, id: "", reason: "the header row needs id and name columns" }],
    };
  const at = (r: string[], c: string) => {
    const i = cols.indexOf(c);
    const v = i >= 0 ? (r[i] ?? "").trim() : "";
    return v === "" ? null : v;
  };
  const good: ProductInput[] = [];
  rows.forEach((r, i) => {
    const line = i + 2;
    const id = at(r, "id") ?? "";
    const name = at(r, "name") ?? "";
    const price = at(r, "price");
    const available = at(r, "available");
    const url = at(r, "url");
    const image = at(r, "image_url");
    const reason =
      !id || id.length > 200 || !noControl.test(id)
        ? "id is required (at most 200 characters)"
        : !name || name.length > 300 || !noControl.test(name)
          ? "name is required (at most 300 characters, no control characters)"
          : price !== null && !(Number.isFinite(Number(price)) && Number(price) >= 0)
            ? `price does not parse: ${price}`
            : available !== null &&
                !["true", "false", "1", "0", "yes", "no"].includes(available.toLowerCase())
              ? `available must be true or false: ${available}`
              : [url, image].some((u) => u !== null && !/^https?:\/\/\S{1,2000}$/.test(u))
                ? "url and image_url must be http(s) URLs"
                : null;
    if (reason) rejected.push({ line, id, reason });
    else
      good.push({
        id,
        name,
        category: at(r, "category"),
        price: price === null ? null : Number(price),
        currency: at(r, "currency"),
        url,
        image_url: image,
        available: available === null ? true : ["true", "1", "yes"].includes(available.toLowerCase()),
      });
  });
  await upsertProducts(tenant, good);
  return { imported: good.length, rejected, columns: HEADER };
}
