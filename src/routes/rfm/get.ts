import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { rfmDistribution } from "../../services/rfm/compute";
import { getRfmJob } from "../../services/rfm/job";
import { errors, jsonResponse, security } from "../openapi";

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

const route = createRoute({
  method: "get",
  path: "/api/v1/rfm",
  operationId: "getRfm",
  tags: ["RFM"],
  summary: "Contacts per RFM segment (VIP, Standard, At Risk, Churn, None) and the last recompute",
  security,
  responses: { 200: jsonResponse(Distribution, "The distribution"), 401: errors[401] },
});

export const registerGetRfm = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    return c.json(
      { ...(await rfmDistribution(tenant)), job: (await getRfmJob(tenant)) as Record<string, unknown> },
      200,
    );
  });
