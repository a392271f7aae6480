import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { getContact } from "../../services/contacts/store";
import { getTemplate, renderTemplate, previewContext } from "../../services/templates/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { Preview, PreviewRequest } from "./schema";
import { withSnippets } from "../../services/templates/snippets";

const route = createRoute({
  method: "post",
  path: "/api/v1/templates/{id}/preview",
  operationId: "previewTemplate",
  tags: ["Templates"],
  summary: "Render a template for a contact",
  security,
  request: { params: idParam, body: jsonBody(PreviewRequest) },
  responses: { 200: jsonResponse(Preview, "The rendered parts"), 404: errors[404], 422: errors[422] },
});

export const registerPreviewTemplate = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const template = await getTemplate(tenant, c.req.valid("param").id);
    const contact = await getContact(tenant, c.req.valid("json").contact_id);
    const ctx = previewContext(contact, configOf(c.env).PUBLIC_BASE_URL, "Preview");
    return c.json(await renderTemplate(await withSnippets(tenant, template), ctx), 200);
  });
