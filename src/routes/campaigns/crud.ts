import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { campaignStats } from "../../services/campaigns/stats";
import {
  campaignView,
  createCampaign,
  duplicateCampaign,
  getCampaign,
  listCampaigns,
  updateCampaign,
} from "../../services/campaigns/store";
import { errors, idParam, jsonBody, jsonResponse, listOf, security } from "../openapi";
import { Campaign, CampaignCreate, CampaignPatch } from "./schema";

const tags = ["Campaigns"];

const create = createRoute({
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

const list = createRoute({
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

const get = createRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}",
  operationId: "getCampaign",
  tags,
  summary: "A campaign and its stats (sent, delivered, opens, clicks, bounces, by variant, links)",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Campaign, "The campaign"), 401: errors[401], 404: errors[404] },
});

const patch = createRoute({
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

const duplicate = createRoute({
  method: "post",
  path: "/api/v1/campaigns/{id}/duplicate",
  operationId: "duplicateCampaign",
  tags,
  summary: "A draft copy of the campaign",
  security,
  request: { params: idParam },
  responses: { 201: jsonResponse(Campaign, "The copy"), 401: errors[401], 404: errors[404] },
});

export function registerCampaignCrud(app: App) {
  app.openapi(create, async (c) =>
    c.json(campaignView(await createCampaign(c.get("tenant"), c.req.valid("json"))), 201),
  );
  app.openapi(list, async (c) => {
    const { items, next_cursor } = await listCampaigns(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(campaignView), next_cursor }, 200);
  });
  app.openapi(get, async (c) => {
    const tenant = c.get("tenant");
    const row = await getCampaign(tenant, c.req.valid("param").id);
    return c.json({ ...campaignView(row), stats: await campaignStats(tenant, row) }, 200);
  });
  app.openapi(patch, async (c) =>
    c.json(
      campaignView(await updateCampaign(c.get("tenant"), c.req.valid("param").id, c.req.valid("json"))),
      200,
    ),
  );
  app.openapi(duplicate, async (c) =>
    c.json(campaignView(await duplicateCampaign(c.get("tenant"), c.req.valid("param").id)), 201),
  );
}
