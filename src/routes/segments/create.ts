import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { countMembers, membershipOf } from "../../services/segments/query";
import { createSegment, segmentView } from "../../services/segments/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Segment, SegmentCreate } from "./schema";

const tags = ["Segments"];

const route = createRoute({
  method: "post",
  path: "/api/v1/segments",
  operationId: "createSegment",
  tags,
  summary: "Create a dynamic (criteria) or static (member list) segment",
  security,
  request: { body: jsonBody(SegmentCreate) },
  responses: { 201: jsonResponse(Segment, "The segment"), 401: errors[401], 422: errors[422] },
});

export const registerCreateSegment = (app: App) =>
  app.openapi(route, async (c) => {
    const row = await createSegment(c.get("tenant"), c.req.valid("json"));
    return c.json(segmentView(row, await countMembers(c.get("tenant"), membershipOf(row))), 201);
  });
