import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { listSegments, segmentView } from "../../services/segments/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Segment } from "./schema";

const tags = ["Segments"];

const route = createRoute({
  method: "get",
  path: "/api/v1/segments",
  operationId: "listSegments",
  tags,
  summary: "The organization's segments, newest first",
  security,
  request: { query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(Segment), "A page of segments"), 400: errors[400], 401: errors[401] },
});

export const registerListSegments = (app: App) =>
  app.openapi(route, async (c) => {
    const { items, next_cursor } = await listSegments(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map((s) => segmentView(s)), next_cursor }, 200);
  });
