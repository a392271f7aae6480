import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { deleteTemplate } from "../../services/templates/store";
import { deletedResponse, errors, idParam, security } from "../openapi";

const route = createRoute({
  method: "delete",
  path: "/api/v1/templates/{id}",
  operationId: "deleteTemplate",
  tags: ["Templates"],
  security,
  request: { params: idParam },
  responses: {
    200: deletedResponse,
    404: errors[404],
  },
});

export const registerDeleteTemplate = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    await deleteTemplate(c.get("tenant"), id);
    return c.json({ id, deleted: true as const }, 200);
  });
