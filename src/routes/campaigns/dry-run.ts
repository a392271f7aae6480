import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { dryRun } from "../../services/campaigns/dry-run";
import { getCampaign } from "../../services/campaigns/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { DryRunResult } from "./schema";

const tags = ["Campaigns"];

const route = createRoute({
  method: "post",
  path: "/api/v1/campaigns/{id}/dry-run",
  operationId: "dryRunCampaign",
  tags,
  summary:
    "What a send would do: audience, would_send, exclusions by reason, a rendered sample; sends nothing",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(DryRunResult, "The report"), 401: errors[401], 404: errors[404] },
});

export const registerDryRunCampaign = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    return c.json(await dryRun(tenant, await getCampaign(tenant, c.req.valid("param").id)), 200);
  });
