import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { deleteForm } from "../../services/forms/store";
import { errors, idParam, security } from "../openapi";

const tags = ["Forms"];

const route = createRoute({
  method: "delete",
  path: "/api/v1/forms/{id}",
  operationId: "deleteForm",
  tags,
  summary: "Delete a sign-up form (its action URL stops working)",
  security,
  request: { params: idParam },
  responses: { 204: { description: "Deleted" }, 401: errors[401], 404: errors[404] },
});

export const registerDeleteForm = (app: App) =>
  app.openapi(route, async (c) => {
    await deleteForm(c.get("tenant"), c.req.valid("param").id);
    return c.body(null, 204);
  });
