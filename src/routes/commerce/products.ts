import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { csvBodyLimit, requireMediaType } from "../../middleware/body";
import {
  getProduct,
  importProducts,
  listProducts,
  productView,
  relatedProducts,
  upsertProducts,
} from "../../services/commerce/products";
import { errors, idParam, jsonBody, jsonResponse, listOf, security } from "../openapi";

const tags = ["Products"];
const noControl = /^[^\u0000-\u001f\u007f]*$/;
const ProductInput = z
  .object({
    id: z.string().trim().min(1).max(200).regex(noControl, "no control characters"),
    name: z.string().trim().min(1).max(300).regex(noControl, "no control characters"),
    category: z.string().trim().max(200).regex(noControl).nullable().optional(),
    price: z.number().min(0).max(1e9).nullable().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR")
      .nullable()
      .optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable()
      .optional(),
    image_url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable()
      .optional(),
    available: z.boolean().optional(),
  })
  .strict()
  .openapi("ProductInput");
const Product = z
  .object({
    id: z.string(),
    name: z.string(),
    category: z.string().nullable(),
    price: z.number().nullable(),
    currency: z.string().nullable(),
    url: z.string().nullable(),
    image_url: z.string().nullable(),
    available: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Product");

export const PRODUCT_IMPORT_PATH = "/api/v1/products/import";

const upsert = createRoute({
  method: "post",
  path: "/api/v1/products",
  operationId: "upsertProduct",
  tags,
  summary: "Create or update a product (by id)",
  security,
  request: { body: jsonBody(ProductInput) },
  responses: { 200: jsonResponse(Product, "The product"), 401: errors[401], 422: errors[422] },
});
const list = createRoute({
  method: "get",
  path: "/api/v1/products",
  operationId: "listProducts",
  tags,
  summary: "The catalogue, by id",
  security,
  request: { query: z.object({ ...paginationQuery, category: z.string().max(200).optional() }) },
  responses: { 200: jsonResponse(listOf(Product), "A page of products"), 400: errors[400], 401: errors[401] },
});
const get = createRoute({
  method: "get",
  path: "/api/v1/products/{id}",
  operationId: "getProduct",
  tags,
  summary: "One product, with the products most often bought with it",
  security,
  request: { params: idParam },
  responses: {
    200: jsonResponse(Product.extend({ related: z.array(Product.passthrough()) }), "The product"),
    401: errors[401],
    404: errors[404],
  },
});
const importRoute = createRoute({
  method: "post",
  path: PRODUCT_IMPORT_PATH,
  operationId: "importProducts",
  tags,
  summary:
    "Import products from CSV (id,name,category,price,currency,url,image_url,available); upserted by id",
  security,
  middleware: [requireMediaType("text/csv"), csvBodyLimit] as const,
  request: { body: { required: true, content: { "text/csv": { schema: z.string() } } } },
  responses: {
    200: jsonResponse(
      z.object({
        imported: z.number(),
        rejected: z.array(z.object({ line: z.number(), id: z.string(), reason: z.string() })),
      }),
      "What was imported",
    ),
    401: errors[401],
    413: errors[413],
    415: errors[415],
  },
});

export function registerProductRoutes(app: App) {
  app.openapi(importRoute, async (c) => {
    const { imported, rejected } = await importProducts(c.get("tenant"), await c.req.text());
    return c.json({ imported, rejected }, 200);
  });
  app.openapi(upsert, async (c) => {
    const input = c.req.valid("json");
    await upsertProducts(c.get("tenant"), [input]);
    return c.json(productView(await getProduct(c.get("tenant"), input.id)), 200);
  });
  app.openapi(list, async (c) => {
    const { items, next_cursor } = await listProducts(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(productView), next_cursor }, 200);
  });
  app.openapi(get, async (c) => {
    const tenant = c.get("tenant");
    const p = await getProduct(tenant, c.req.valid("param").id);
    return c.json({ ...productView(p), related: await relatedProducts(tenant, p.id) }, 200);
  });
}
