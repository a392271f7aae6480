import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { deleteSegment } from "../../services/segments/store";
import { errors, idParam, security } from "../openapi";

const tags = ["Segments"];

const route = createRoute({
  method: "delete",
  path: "/api/v1/segments/{id}",
  operationId: "deleteSegment",
  tags,
  summary: "Delete a segment that no scenario or unfinished campaign uses",
  security,
  request: { params: idParam },
  responses: { 204: { description: "Deleted" }, 401: errors[401], 404: errors[404], 409: errors[409] },
});

export const registerDeleteSegment = (app: App) =>
  app.openapi(route, async (c) => {
    await deleteSegment(c.get("tenant"), c.req.valid("param").id);
    return c.body(null, 204);
  });
