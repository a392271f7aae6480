import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { campaignView, updateCampaign } from "../../services/campaigns/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { Campaign, CampaignPatch } from "./schema";

const tags = ["Campaigns"];

const route = createRoute({
  method: "patch",
  path: "/api/v1/campaigns/{id}",
  operationId: "updateCampaign",
  tags,
  summary: "Change a draft campaign",
  security,
  request: { params: idParam, body: jsonBody(CampaignPatch) },
  responses: {
    200: jsonResponse(Campaign, "The campaign"),
    401: errors[401],
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerUpdateCampaign = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(
      campaignView(await updateCampaign(c.get("tenant"), c.req.valid("param").id, c.req.valid("json"))),
      200,
    ),
  );
