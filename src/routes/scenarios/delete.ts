import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { deleteScenario } from "../../services/scenarios/manage";
import { errors, idParam, security } from "../openapi";

const tags = ["Scenarios"];

const route = createRoute({
  method: "delete",
  path: "/api/v1/scenarios/{id}",
  operationId: "deleteScenario",
  tags,
  summary: "Delete a draft or stopped scenario (its messages stay as history)",
  security,
  request: { params: idParam },
  responses: { 204: { description: "Deleted" }, 401: errors[401], 404: errors[404], 409: errors[409] },
});

export const registerDeleteScenario = (app: App) =>
  app.openapi(route, async (c) => {
    await deleteScenario(c.get("tenant"), c.req.valid("param").id);
    return c.body(null, 204);
  });
