import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { csvBodyLimit, requireMediaType } from "../../middleware/body";
import { importOrders } from "../../services/orders/import";
import { csvBody, csvImportErrors, jsonResponse, security } from "../openapi";

export const ORDER_IMPORT_PATH = "/api/v1/orders/import";

const route = createRoute({
  method: "post",
  path: ORDER_IMPORT_PATH,
  operationId: "importOrders",
  tags: ["Products"],
  summary:
    "Import order history from CSV (email,order_id,ordered_at,product_id,quantity,price; a row per line item)",
  security,
  middleware: [requireMediaType("text/csv"), csvBodyLimit] as const,
  request: { body: csvBody },
  responses: {
    200: jsonResponse(
      z.object({
        orders: z.number(),
        lines: z.number(),
        rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
      }),
      "What was imported",
    ),
    ...csvImportErrors,
  },
});

export const registerImportOrders = (app: App) =>
  app.openapi(route, async (c) => c.json(await importOrders(c.get("tenant"), await c.req.text()), 200));
