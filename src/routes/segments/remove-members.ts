import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { removeMembers } from "../../services/segments/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { MembersInput } from "./schema";
import { Result } from "./schema";

const tags = ["Segments"];

const route = createRoute({
  method: "delete",
  path: "/api/v1/segments/{id}/members",
  operationId: "removeSegmentMembers",
  tags,
  summary: "Remove contacts (by id or email) from a static segment",
  security,
  request: { params: idParam, body: jsonBody(MembersInput) },
  responses: {
    200: jsonResponse(Result, "How many were removed, and what was not found"),
    401: errors[401],
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerRemoveSegmentMembers = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await removeMembers(c.get("tenant"), c.req.valid("param").id, c.req.valid("json")), 200),
  );
