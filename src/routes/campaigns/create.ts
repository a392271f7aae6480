import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { campaignView, createCampaign } from "../../services/campaigns/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Campaign, CampaignCreate } from "./schema";

const tags = ["Campaigns"];

const route = createRoute({
  method: "post",
  path: "/api/v1/campaigns",
  operationId: "createCampaign",
  tags,
  summary: "Create a broadcast campaign (draft): template or weighted variants, segments minus exclusions",
  security,
  request: { body: jsonBody(CampaignCreate) },
  responses: {
    201: jsonResponse(Campaign, "The campaign"),
    401: errors[401],
    404: errors[404],
    422: errors[422],
  },
});

export const registerCreateCampaign = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(campaignView(await createCampaign(c.get("tenant"), c.req.valid("json"))), 201),
  );
