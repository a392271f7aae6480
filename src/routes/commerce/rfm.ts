import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { csvBodyLimit, requireMediaType } from "../../middleware/body";
import { importOrders } from "../../services/commerce/orders-import";
import { recommendationsFor } from "../../services/commerce/recommendations";
import { getRfmSettings, putRfmSettings, rfmDistribution } from "../../services/commerce/rfm";
import { getRfmJob, startRfmJob } from "../../services/commerce/rfm-job";
import { getContact } from "../../services/contacts";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { registerSettings } from "../settings/helper";

export const ORDER_IMPORT_PATH = "/api/v1/orders/import";

const Job = z.record(z.string(), z.unknown()).openapi("RfmJob");
const Distribution = z
  .object({
    computed_at: z.string().nullable(),
    segments: z.object({
      VIP: z.number(),
      Standard: z.number(),
      "At Risk": z.number(),
      Churn: z.number(),
      None: z.number(),
    }),
    job: Job,
  })
  .openapi("RfmDistribution");

const routes = {
  orders: createRoute({
    method: "post",
    path: ORDER_IMPORT_PATH,
    operationId: "importOrders",
    tags: ["Products"],
    summary:
      "Import order history from CSV (email,order_id,ordered_at,product_id,quantity,price; a row per line item)",
    security,
    middleware: [requireMediaType("text/csv"), csvBodyLimit] as const,
    request: { body: { required: true, content: { "text/csv": { schema: z.string() } } } },
    responses: {
      200: jsonResponse(
        z.object({
          orders: z.number(),
          lines: z.number(),
          rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
        }),
        "What was imported",
      ),
      401: errors[401],
      413: errors[413],
      415: errors[415],
    },
  }),
  distribution: createRoute({
    method: "get",
    path: "/api/v1/rfm",
    operationId: "getRfm",
    tags: ["RFM"],
    summary: "Contacts per RFM segment (VIP, Standard, At Risk, Churn, None) and the last recompute",
    security,
    responses: { 200: jsonResponse(Distribution, "The distribution"), 401: errors[401] },
  }),
  recompute: createRoute({
    method: "post",
    path: "/api/v1/rfm/recompute",
    operationId: "recomputeRfm",
    tags: ["RFM"],
    summary:
      "Recompute co-purchases, RFM and fit scores now (a queued job; GET /api/v1/rfm shows its progress)",
    security,
    responses: { 202: jsonResponse(Job, "The queued job"), 401: errors[401] },
  }),
  recommendations: createRoute({
    method: "get",
    path: "/api/v1/contacts/{id}/recommendations",
    operationId: "getContactRecommendations",
    tags: ["RFM"],
    summary: "Up to 3 products for the contact, by their RFM segment (cross_sell, rebuy or winback)",
    security,
    request: { params: idParam },
    responses: {
      200: jsonResponse(
        z.object({
          kind: z.enum(["rebuy", "cross_sell", "winback"]).nullable(),
          products: z.array(z.record(z.string(), z.unknown())),
        }),
        "The recommendations",
      ),
      401: errors[401],
      404: errors[404],
    },
  }),
};

const Settings = z
  .object({
    vip_threshold: z.number().min(0).max(4),
    standard_threshold: z.number().min(0).max(4),
    churn_days: z.number().int().min(1).max(3650),
    offer_code: z
      .string()
      .max(100)
      .regex(/^[^\u0000-\u001f\u007f]*$/)
      .nullable(),
  })
  .openapi("RfmSettings");

export function registerRfmRoutes(app: App) {
  app.openapi(routes.orders, async (c) =>
    c.json(await importOrders(c.get("tenant"), await c.req.text()), 200),
  );
  app.openapi(routes.distribution, async (c) => {
    const tenant = c.get("tenant");
    return c.json(
      { ...(await rfmDistribution(tenant)), job: (await getRfmJob(tenant)) as Record<string, unknown> },
      200,
    );
  });
  app.openapi(routes.recompute, async (c) =>
    c.json((await startRfmJob(c.env, c.get("tenant"))) as unknown as Record<string, unknown>, 202),
  );
  app.openapi(routes.recommendations, async (c) => {
    const tenant = c.get("tenant");
    const contact = await getContact(tenant, c.req.valid("param").id);
    return c.json(await recommendationsFor(tenant, contact), 200);
  });
  registerSettings(app, {
    name: "rfm",
    title: "RFM: segment thresholds, the churn window and the offer code",
    schema: Settings,
    input: Settings.partial().strict().openapi("RfmSettingsInput"),
    get: getRfmSettings,
    put: putRfmSettings,
  });
}
