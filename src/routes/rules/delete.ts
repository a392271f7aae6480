import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { deleteRule } from "../../services/rules/store";
import { deletedResponse, errors, idParam, security } from "../openapi";

const route = createRoute({
  method: "delete",
  path: "/api/v1/rules/{id}",
  operationId: "deleteRule",
  tags: ["Rules"],
  security,
  request: { params: idParam },
  responses: {
    200: deletedResponse,
    404: errors[404],
  },
});

export const registerDeleteRule = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    await deleteRule(c.get("tenant"), id);
    return c.json({ id, deleted: true as const }, 200);
  });
