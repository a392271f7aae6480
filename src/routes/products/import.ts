import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { csvBodyLimit, requireMediaType } from "../../middleware/body";
import { importProducts } from "../../services/products/store";
import { csvBody, csvImportErrors, jsonResponse, security } from "../openapi";

const tags = ["Products"];

export const PRODUCT_IMPORT_PATH = "/api/v1/products/import";

const route = createRoute({
  method: "post",
  path: PRODUCT_IMPORT_PATH,
  operationId: "importProducts",
  tags,
  summary:
    "Import products from CSV (id,name,category,price,currency,url,image_url,available); upserted by id",
  security,
  middleware: [requireMediaType("text/csv"), csvBodyLimit] as const,
  request: { body: csvBody },
  responses: {
    200: jsonResponse(
      z.object({
        imported: z.number(),
        rejected: z.array(z.object({ line: z.number(), id: z.string(), reason: z.string() })),
      }),
      "What was imported",
    ),
    ...csvImportErrors,
  },
});

export const registerImportProducts = (app: App) =>
  app.openapi(route, async (c) => {
    const { imported, rejected } = await importProducts(c.get("tenant"), await c.req.text());
    return c.json({ imported, rejected }, 200);
  });
