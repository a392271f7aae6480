import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { countMembers, membershipOf } from "../../services/segments/query";
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  segmentView,
  updateSegment,
} from "../../services/segments/store";
import { errors, idParam, jsonBody, jsonResponse, listOf, security } from "../openapi";
import { Segment, SegmentCreate, SegmentPatch } from "./schema";

const tags = ["Segments"];

const create = createRoute({
  method: "post",
  path: "/api/v1/segments",
  operationId: "createSegment",
  tags,
  summary: "Create a dynamic (criteria) or static (member list) segment",
  security,
  request: { body: jsonBody(SegmentCreate) },
  responses: { 201: jsonResponse(Segment, "The segment"), 401: errors[401], 422: errors[422] },
});

const list = createRoute({
  method: "get",
  path: "/api/v1/segments",
  operationId: "listSegments",
  tags,
  summary: "The organization's segments, newest first",
  security,
  request: { query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(Segment), "A page of segments"), 400: errors[400], 401: errors[401] },
});

const get = createRoute({
  method: "get",
  path: "/api/v1/segments/{id}",
  operationId: "getSegment",
  tags,
  summary: "One segment with its contact count",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Segment, "The segment"), 401: errors[401], 404: errors[404] },
});

const patch = createRoute({
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

const remove = createRoute({
  method: "delete",
  path: "/api/v1/segments/{id}",
  operationId: "deleteSegment",
  tags,
  summary: "Delete a segment that no scenario or unfinished campaign uses",
  security,
  request: { params: idParam },
  responses: { 204: { description: "Deleted" }, 401: errors[401], 404: errors[404], 409: errors[409] },
});

export function registerSegmentCrud(app: App) {
  app.openapi(create, async (c) => {
    const row = await createSegment(c.get("tenant"), c.req.valid("json"));
    return c.json(segmentView(row, await countMembers(c.get("tenant"), membershipOf(row))), 201);
  });
  app.openapi(list, async (c) => {
    const { items, next_cursor } = await listSegments(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map((s) => segmentView(s)), next_cursor }, 200);
  });
  app.openapi(get, async (c) => {
    const row = await getSegment(c.get("tenant"), c.req.valid("param").id);
    return c.json(segmentView(row, await countMembers(c.get("tenant"), membershipOf(row))), 200);
  });
  app.openapi(patch, async (c) => {
    const row = await updateSegment(c.get("tenant"), c.req.valid("param").id, c.req.valid("json"));
    return c.json(segmentView(row, await countMembers(c.get("tenant"), membershipOf(row))), 200);
  });
  app.openapi(remove, async (c) => {
    await deleteSegment(c.get("tenant"), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
