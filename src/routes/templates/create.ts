import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { galleryItem } from "../../services/designs/gallery";
import { createTemplate, templateView } from "../../services/templates/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Template, TemplateCreate } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/templates",
  operationId: "createTemplate",
  tags: ["Templates"],
  summary:
    "Create a template: Liquid HTML, a design of blocks, or a copy of a starter design (validated on save)",
  security,
  request: { body: jsonBody(TemplateCreate) },
  responses: { 201: jsonResponse(Template, "The created template"), 422: errors[422] },
});

export const registerCreateTemplate = (app: App) =>
  app.openapi(route, async (c) => {
    const { gallery_id, ...body } = c.req.valid("json");
    const starter = gallery_id ? galleryItem(gallery_id) : null;
    if (gallery_id && !starter)
      throw new ApiError("VALIDATION_ERROR", `no starter design ${gallery_id}`, [
        { field: "gallery_id", message: "not in GET /api/v1/template-gallery" },
      ]);
    const input = starter
      ? {
          ...body,
          name: body.name ?? starter.name,
          subject: body.subject ?? starter.subject,
          preheader: body.preheader === undefined ? starter.preheader : body.preheader,
          locale: body.locale === undefined ? starter.locale : body.locale,
          design: starter.design,
        }
      : { ...body, name: body.name as string, subject: body.subject as string };
    return c.json(templateView(await createTemplate(c.get("tenant"), input)), 201);
  });
