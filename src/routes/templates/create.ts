import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { createTemplate, templateView } from "../../services/templates/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Template, TemplateCreate } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/templates",
  operationId: "createTemplate",
  tags: ["Templates"],
  summary: "Create a Liquid template (validated on save)",
  security,
  request: { body: jsonBody(TemplateCreate) },
  responses: { 201: jsonResponse(Template, "The created template"), 422: errors[422] },
});

export const registerCreateTemplate = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(templateView(await createTemplate(c.get("tenant"), c.req.valid("json"))), 201),
  );
