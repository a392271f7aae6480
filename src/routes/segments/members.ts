import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { addMembers, removeMembers } from "../../services/segments/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { MembersInput } from "./schema";

const tags = ["Segments"];
const Result = z.object({
  added: z.number().optional(),
  removed: z.number().optional(),
  not_found: z.array(z.string()),
});

const add = createRoute({
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

const remove = createRoute({
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

export function registerSegmentMembers(app: App) {
  app.openapi(add, async (c) =>
    c.json(await addMembers(c.get("tenant"), c.req.valid("param").id, c.req.valid("json")), 200),
  );
  app.openapi(remove, async (c) =>
    c.json(await removeMembers(c.get("tenant"), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
