import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { membershipOf, segmentStats } from "../../services/segments/query";
import { getSegment } from "../../services/segments/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Stats } from "./schema";

const tags = ["Segments"];

const route = createRoute({
  method: "get",
  path: "/api/v1/segments/{id}/stats",
  operationId: "getSegmentStats",
  tags,
  summary: "Size, average score, openers and clickers of the last 30 days, purchasers",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Stats, "The stats"), 401: errors[401], 404: errors[404] },
});

export const registerSegmentStats = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const segment = await getSegment(tenant, c.req.valid("param").id);
    return c.json(await segmentStats(tenant, membershipOf(segment)), 200);
  });
