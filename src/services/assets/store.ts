/**
 * Image assets for designs: png, jpeg, gif or webp judged by their bytes (image-size reads the
 * header; the file's name and declared type count for nothing), at most 5 MB, SVG refused (it can
 * carry script). The bytes go to R2 under the asset's id; the row holds what listing needs.
 */
import { desc, eq, inArray, lt } from "drizzle-orm";
import { imageSize } from "image-size";
import { assets } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";

export const MAX_ASSET_BYTES = 5 * 1024 * 1024;
const TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

export type AssetRow = typeof assets.$inferSelect;

/** The image's type and size from its bytes, or a 415 naming what is accepted. */
export function sniffImage(bytes: Uint8Array): { contentType: string; width: number; height: number } {
  let found: ReturnType<typeof imageSize> | null = null;
  try {
    found = imageSize(bytes);
  } catch {
    found = null;
  }
  const contentType = found?.type ? TYPES[found.type] : undefined;
  if (!found || !contentType || !found.width || !found.height)
    throw new ApiError(
      "UNSUPPORTED_MEDIA_TYPE",
      "the file is not a png, jpeg, gif or webp image (judged by its content)",
      [
        {
          field: "file",
          message: found?.type === "svg" ? "SVG is refused: it can carry script" : "not an image we accept",
        },
      ],
    );
  return { contentType, width: found.width, height: found.height };
}

export const assetUrl = (baseUrl: string, id: string) => `${baseUrl}/i/${id}`;

export const assetView = (a: AssetRow, baseUrl: string) => ({
  id: a.id,
  url: assetUrl(baseUrl, a.id),
  name: a.name,
  content_type: a.contentType,
  width: a.width,
  height: a.height,
  bytes: a.bytes,
  created_at: iso(a.createdAt) as string,
});

export async function createAsset(
  bucket: R2Bucket,
  tenant: Tenant,
  file: { name: string; bytes: Uint8Array },
) {
  if (file.bytes.byteLength > MAX_ASSET_BYTES)
    throw new ApiError("PAYLOAD_TOO_LARGE", "an image is at most 5 MB", [
      { field: "file", message: "over 5 MB" },
    ]);
  const kind = sniffImage(file.bytes);
  const at = now();
  const id = newId("ast", at);
  await bucket.put(id, file.bytes, {
    httpMetadata: { contentType: kind.contentType, cacheControl: "public, max-age=31536000, immutable" },
    customMetadata: { organization_id: tenant.orgId },
  });
  const [row] = await tenant.db
    .insert(assets)
    .values({
      id,
      organizationId: tenant.orgId,
      name: file.name.slice(0, 200) || "image",
      contentType: kind.contentType,
      bytes: file.bytes.byteLength,
      width: kind.width,
      height: kind.height,
      createdAt: at,
    })
    .returning();
  return row as AssetRow;
}

/** Newest first, keyset by id. */
export async function listAssets(tenant: Tenant, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(assets)
    .where(scoped(tenant, assets, after ? lt(assets.id, String(after[0])) : undefined))
    .orderBy(desc(assets.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

/** The row goes first: an image whose row is gone is no longer served, even if R2 keeps it a moment. */
export async function deleteAsset(bucket: R2Bucket, tenant: Tenant, id: string) {
  const res = await tenant.db
    .delete(assets)
    .where(scoped(tenant, assets, eq(assets.id, id)))
    .returning({ id: assets.id });
  if (!res.length) throw notFound("asset");
  await bucket.delete(id);
}

/** Every asset id a design names must be one of the organization's images: else 422 naming them. */
export async function assertDesignAssets(tenant: Tenant, ids: string[]) {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const rows = await tenant.db
    .select({ id: assets.id })
    .from(assets)
    .where(scoped(tenant, assets, inArray(assets.id, unique)))
    .all();
  const known = new Set(rows.map((r) => r.id));
  const missing = unique.filter((id) => !known.has(id));
  if (missing.length)
    throw new ApiError("VALIDATION_ERROR", `no image ${missing.join(", ")} (POST /api/v1/assets)`, [
      { field: "design", message: `unknown asset ids: ${missing.join(", ")}` },
    ]);
}
