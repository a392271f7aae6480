import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getTemplate, templateView } from "../../services/templates/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Template } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/templates/{id}",
  operationId: "getTemplate",
  tags: ["Templates"],
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Template, "The template"), 404: errors[404] },
});

export const registerGetTemplate = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(templateView(await getTemplate(c.get("tenant"), c.req.valid("param").id)), 200),
  );
