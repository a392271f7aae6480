import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { campaignView, listCampaigns } from "../../services/campaigns/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Campaign } from "./schema";

const tags = ["Campaigns"];

const route = createRoute({
  method: "get",
  path: "/api/v1/campaigns",
  operationId: "listCampaigns",
  tags,
  summary: "The organization's campaigns, newest first",
  security,
  request: {
    query: z.object({
      ...paginationQuery,
      status: z.enum(["draft", "scheduled", "sending", "sent", "paused", "cancelled"]).optional(),
    }),
  },
  responses: {
    200: jsonResponse(listOf(Campaign), "A page of campaigns"),
    400: errors[400],
    401: errors[401],
  },
});

export const registerListCampaigns = (app: App) =>
  app.openapi(route, async (c) => {
    const { items, next_cursor } = await listCampaigns(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(campaignView), next_cursor }, 200);
  });
