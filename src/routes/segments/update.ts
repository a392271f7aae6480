import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { countMembers, membershipOf } from "../../services/segments/query";
import { segmentView, updateSegment } from "../../services/segments/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { Segment, SegmentPatch } from "./schema";

const tags = ["Segments"];

const route = createRoute({
  method: "patch",
  path: "/api/v1/segments/{id}",
  operationId: "updateSegment",
  tags,
  summary: "Rename a segment or change its criteria",
  security,
  request: { params: idParam, body: jsonBody(SegmentPatch) },
  responses: {
    200: jsonResponse(Segment, "The segment"),
    401: errors[401],
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerUpdateSegment = (app: App) =>
  app.openapi(route, async (c) => {
    const row = await updateSegment(c.get("tenant"), c.req.valid("param").id, c.req.valid("json"));
    return c.json(segmentView(row, await countMembers(c.get("tenant"), membershipOf(row))), 200);
  });
