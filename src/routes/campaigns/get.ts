import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { campaignStats } from "../../services/campaigns/stats";
import { campaignView, getCampaign } from "../../services/campaigns/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Campaign } from "./schema";

const tags = ["Campaigns"];

const route = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}",
  operationId: "getCampaign",
  tags,
  summary: "A campaign and its stats (sent, delivered, opens, clicks, bounces, by variant, links)",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Campaign, "The campaign"), 401: errors[401], 404: errors[404] },
});

export const registerGetCampaign = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const row = await getCampaign(tenant, c.req.valid("param").id);
    return c.json({ ...campaignView(row), stats: await campaignStats(tenant, row) }, 200);
  });
