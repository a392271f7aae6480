import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { type BUCKETS, campaignTimeline } from "../../services/campaigns/stats";
import { getCampaign } from "../../services/campaigns/store";
import { errors, idParam, jsonResponse, security } from "../openapi";

const tags = ["Campaigns"];

const route = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}/timeline",
  operationId: "getCampaignTimeline",
  tags,
  summary: "Counts per hour (or day): sent, delivered, opened, clicked, unsubscribed",
  security,
  request: { params: idParam, query: z.object({ bucket: z.enum(["hour", "day"]).default("hour") }) },
  responses: {
    200: jsonResponse(
      z.object({
        bucket: z.enum(["hour", "day"]),
        items: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
      }),
      "The timeline",
    ),
    400: errors[400],
    401: errors[401],
    404: errors[404],
  },
});

export const registerCampaignTimeline = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const row = await getCampaign(tenant, c.req.valid("param").id);
    return c.json(
      await campaignTimeline(tenant, row, c.req.valid("query").bucket as keyof typeof BUCKETS),
      200,
    );
  });
