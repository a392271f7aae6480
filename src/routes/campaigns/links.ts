import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { campaignLinks } from "../../services/campaigns/links";
import { getCampaign } from "../../services/campaigns/store";
import { errors, idParam, jsonResponse, security } from "../openapi";

const Link = z
  .object({
    url: z.string(),
    position: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Order in the HTML (1-based); null: not in the templates as such" }),
    clicks: z.number(),
    unique_clicks: z.number(),
  })
  .openapi("CampaignLink");

const route = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}/links",
  operationId: "getCampaignLinks",
  tags: ["Campaigns"],
  summary: "The campaign's links in the order of the HTML, with their clicks and unique clicks",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(z.object({ items: z.array(Link) }), "The links"), 404: errors[404] },
});

export const registerCampaignLinks = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    return c.json(await campaignLinks(tenant, await getCampaign(tenant, c.req.valid("param").id)), 200);
  });
