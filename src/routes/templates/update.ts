import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { templateView, updateTemplate } from "../../services/templates/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { Template, TemplatePatch } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/templates/{id}",
  operationId: "updateTemplate",
  tags: ["Templates"],
  security,
  request: { params: idParam, body: jsonBody(TemplatePatch) },
  responses: { 200: jsonResponse(Template, "The updated template"), 404: errors[404], 422: errors[422] },
});

export const registerUpdateTemplate = (app: App) =>
  app.openapi(route, async (c) => {
    const row = await updateTemplate(c.get("tenant"), c.req.valid("param").id, c.req.valid("json"));
    return c.json(templateView(row), 200);
  });
