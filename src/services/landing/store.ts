/**
 * Landing pages (API.md, "Landing pages"): a design of blocks with sign-up forms, published at
 * /lp/<organization>/<slug> on PUBLIC_BASE_URL. Slugs are unique per organization (409); the forms,
 * images and products a page names must be the organization's (422). An unpublished or deleted
 * page answers 404 at its URL.
 */
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { forms, landingPages } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { designInputs } from "../designs/inputs";
import type { ProductMap } from "../designs/products";
import type { Block, Design } from "../designs/schema";
import type { FormRow } from "../forms/store";
import type { LandingDesign } from "./schema";

export type LandingRow = typeof landingPages.$inferSelect;
export interface LandingInput {
  name: string;
  slug: string;
  title?: string | null;
  design: LandingDesign;
  published?: boolean;
}

export const landingUrl = (baseUrl: string, row: Pick<LandingRow, "organizationId" | "slug">) =>
  `${baseUrl}/lp/${row.organizationId}/${row.slug}`;

export const landingView = (r: LandingRow, baseUrl: string) => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  title: r.title,
  url: landingUrl(baseUrl, r),
  design: JSON.parse(r.design) as LandingDesign,
  published: r.published,
  created_at: iso(r.createdAt) as string,
  updated_at: iso(r.updatedAt) as string,
});

/** The page's forms, images and products, read once: an id of another organization is a 422. */
export async function pageInputs(
  tenant: Tenant,
  d: LandingDesign,
): Promise<{ forms: Map<string, FormRow>; products: ProductMap }> {
  const formIds = [...new Set(d.blocks.flatMap((b) => (b.type === "form" ? [b.form_id] : [])))];
  const rows = formIds.length
    ? await tenant.db
        .select()
        .from(forms)
        .where(scoped(tenant, forms, inArray(forms.id, formIds)))
        .all()
    : [];
  const missing = formIds.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length)
    throw new ApiError("VALIDATION_ERROR", `no form ${missing.join(", ")}`, [
      { field: "design", message: `unknown form ids: ${missing.join(", ")}` },
    ]);
  const blocks = d.blocks.filter((b): b is Block => b.type !== "form");
  const products = await designInputs(tenant, { settings: d.settings, blocks } as Design);
  return { forms: new Map(rows.map((r) => [r.id, r])), products };
}

/** What a published page shows: its forms and products, leaving out any deleted since it was saved. */
export const shownInputs = (tenant: Tenant, d: LandingDesign) =>
  pageInputs(tenant, d).catch(() => ({
    forms: new Map<string, FormRow>(),
    products: new Map() as ProductMap,
  }));

async function assertFreeSlug(tenant: Tenant, slug: string, selfId?: string) {
  const taken = await tenant.db
    .select({ id: landingPages.id })
    .from(landingPages)
    .where(scoped(tenant, landingPages, eq(landingPages.slug, slug)))
    .get();
  if (taken && taken.id !== selfId)
    throw new ApiError("CONFLICT", `the slug ${slug} is used by another page`, [
      { field: "slug", message: "already used in this organization" },
    ]);
}

export async function createLanding(tenant: Tenant, input: LandingInput) {
  await assertFreeSlug(tenant, input.slug);
  await pageInputs(tenant, input.design);
  const at = now();
  const [row] = await tenant.db
    .insert(landingPages)
    .values({
      id: newId("lp", at),
      organizationId: tenant.orgId,
      name: input.name,
      slug: input.slug,
      title: input.title ?? null,
      design: JSON.stringify(input.design),
      published: input.published ?? true,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row as LandingRow;
}

export async function getLanding(tenant: Tenant, id: string) {
  const row = await tenant.db
    .select()
    .from(landingPages)
    .where(scoped(tenant, landingPages, eq(landingPages.id, id)))
    .get();
  if (!row) throw notFound("landing page");
  return row;
}

export async function listLandings(tenant: Tenant, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(landingPages)
    .where(scoped(tenant, landingPages, after ? gt(landingPages.id, String(after[0])) : undefined))
    .orderBy(asc(landingPages.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

export async function updateLanding(tenant: Tenant, id: string, input: Partial<LandingInput>) {
  await getLanding(tenant, id);
  if (input.slug) await assertFreeSlug(tenant, input.slug, id);
  if (input.design) await pageInputs(tenant, input.design);
  const { design, ...rest } = input;
  const [row] = await tenant.db
    .update(landingPages)
    .set({ ...rest, ...(design ? { design: JSON.stringify(design) } : {}), updatedAt: now() })
    .where(scoped(tenant, landingPages, eq(landingPages.id, id)))
    .returning();
  return row as LandingRow;
}

export async function deleteLanding(tenant: Tenant, id: string) {
  const res = await tenant.db
    .delete(landingPages)
    .where(scoped(tenant, landingPages, eq(landingPages.id, id)))
    .returning({ id: landingPages.id });
  if (!res.length) throw notFound("landing page");
}

/** The published page at a slug, or null (unpublished, deleted, never made). */
export const publishedLanding = (tenant: Tenant, slug: string) =>
  tenant.db
    .select()
    .from(landingPages)
    .where(scoped(tenant, landingPages, and(eq(landingPages.slug, slug), eq(landingPages.published, true))))
    .get();
