import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { campaignView, duplicateCampaign } from "../../services/campaigns/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Campaign } from "./schema";

const tags = ["Campaigns"];

const route = createRoute({
  method: "post",
  path: "/api/v1/campaigns/{id}/duplicate",
  operationId: "duplicateCampaign",
  tags,
  summary: "A draft copy of the campaign",
  security,
  request: { params: idParam },
  responses: { 201: jsonResponse(Campaign, "The copy"), 401: errors[401], 404: errors[404] },
});

export const registerDuplicateCampaign = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(campaignView(await duplicateCampaign(c.get("tenant"), c.req.valid("param").id)), 201),
  );
