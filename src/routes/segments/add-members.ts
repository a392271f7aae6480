import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { addMembers } from "../../services/segments/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { MembersInput } from "./schema";
import { Result } from "./schema";

const tags = ["Segments"];

const route = createRoute({
  method: "post",
  path: "/api/v1/segments/{id}/members",
  operationId: "addSegmentMembers",
  tags,
  summary: "Add contacts (by id or email) to a static segment",
  security,
  request: { params: idParam, body: jsonBody(MembersInput) },
  responses: {
    200: jsonResponse(Result, "How many were added, and what was not found"),
    401: errors[401],
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerAddSegmentMembers = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await addMembers(c.get("tenant"), c.req.valid("param").id, c.req.valid("json")), 200),
  );
