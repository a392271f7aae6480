import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { countMembers, membershipOf } from "../../services/segments/query";
import { getSegment, segmentView } from "../../services/segments/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Segment } from "./schema";

const tags = ["Segments"];

const route = createRoute({
  method: "get",
  path: "/api/v1/segments/{id}",
  operationId: "getSegment",
  tags,
  summary: "One segment with its contact count",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Segment, "The segment"), 401: errors[401], 404: errors[404] },
});

export const registerGetSegment = (app: App) =>
  app.openapi(route, async (c) => {
    const row = await getSegment(c.get("tenant"), c.req.valid("param").id);
    return c.json(segmentView(row, await countMembers(c.get("tenant"), membershipOf(row))), 200);
  });
