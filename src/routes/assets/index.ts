import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { ApiError } from "../../lib/errors";
import { paginationQuery } from "../../lib/pagination";
import {
  assetView,
  createAsset,
  deleteAsset,
  listAssets,
  MAX_ASSET_BYTES,
} from "../../services/assets/store";
import { deletedResponse, errors, idParam, jsonResponse, listOf, security } from "../openapi";

export const ASSET_UPLOAD_PATH = "/api/v1/assets";

const Asset = z
  .object({
    id: z.string(),
    url: z.string().openapi({ description: "Public, cached for a year; use it as an image block's src" }),
    name: z.string(),
    content_type: z.string(),
    width: z.number(),
    height: z.number(),
    bytes: z.number(),
    created_at: z.string(),
  })
  .openapi("Asset");

const upload = createRoute({
  method: "post",
  path: ASSET_UPLOAD_PATH,
  operationId: "uploadAsset",
  tags: ["Assets"],
  summary:
    "Upload an image (multipart/form-data, field file): png, jpeg, gif or webp by content, at most 5 MB",
  security,
  request: {
    body: {
      content: {
        "multipart/form-data": {
          schema: z.object({ file: z.any().openapi({ type: "string", format: "binary" }) }),
        },
      },
      required: true,
    },
  },
  responses: {
    201: jsonResponse(Asset, "Stored"),
    413: errors[413],
    415: errors[415],
    422: errors[422],
  },
});

const list = createRoute({
  method: "get",
  path: "/api/v1/assets",
  operationId: "listAssets",
  tags: ["Assets"],
  security,
  request: { query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(Asset), "A page of images, newest first"), 400: errors[400] },
});

const remove = createRoute({
  method: "delete",
  path: "/api/v1/assets/{id}",
  operationId: "deleteAsset",
  tags: ["Assets"],
  summary: "Delete an image: its URL answers 404 from then on",
  security,
  request: { params: idParam },
  responses: { 200: deletedResponse, 404: errors[404] },
});

export function registerAssetRoutes(app: App) {
  // Before the route's own validator reads the body: the media type (415) and the declared size (413).
  app.use(ASSET_UPLOAD_PATH, async (c, next) => {
    if (c.req.method === "POST") {
      const type = (c.req.header("Content-Type") ?? "").toLowerCase();
      if (!type.startsWith("multipart/form-data"))
        throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "post the image as multipart/form-data, field file");
      const length = Number(c.req.header("Content-Length") ?? "0");
      if (length > MAX_ASSET_BYTES + 64 * 1024)
        throw new ApiError("PAYLOAD_TOO_LARGE", "an image is at most 5 MB");
    }
    await next();
  });
  // A body without Content-Length (chunked) is cut off at the same size.
  app.use(
    ASSET_UPLOAD_PATH,
    bodyLimit({
      maxSize: MAX_ASSET_BYTES + 64 * 1024,
      onError: () => {
        throw new ApiError("PAYLOAD_TOO_LARGE", "an image is at most 5 MB");
      },
    }),
  );
  app.openapi(upload, async (c) => {
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File))
      throw new ApiError("VALIDATION_ERROR", "file: required", [
        { field: "file", message: "a file part named file" },
      ]);
    if (file.size > MAX_ASSET_BYTES) throw new ApiError("PAYLOAD_TOO_LARGE", "an image is at most 5 MB");
    const row = await createAsset(c.env.ASSET_BUCKET, c.get("tenant"), {
      name: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
    return c.json(assetView(row, configOf(c.env).PUBLIC_BASE_URL), 201);
  });
  app.openapi(list, async (c) => {
    const { items, next_cursor } = await listAssets(c.get("tenant"), c.req.valid("query"));
    const base = configOf(c.env).PUBLIC_BASE_URL;
    return c.json({ items: items.map((a) => assetView(a, base)), next_cursor }, 200);
  });
  app.openapi(remove, async (c) => {
    const id = c.req.valid("param").id;
    await deleteAsset(c.env.ASSET_BUCKET, c.get("tenant"), id);
    return c.json({ id, deleted: true as const }, 200);
  });
  // The public image: served from R2 by its unguessable id, with a year of cache.
  app.get("/i/:id", async (c) => {
    const id = c.req.param("id");
    const obj = /^ast_[0-9a-f]{28}$/.test(id) ? await c.env.ASSET_BUCKET.get(id) : null;
    if (!obj) return c.text("Not found", 404);
    return new Response(obj.body, {
      headers: {
        "Content-Type": obj.httpMetadata?.contentType ?? "application/octet-stream",
        "Cache-Control": "public, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        ETag: obj.httpEtag,
      },
    });
  });
}
