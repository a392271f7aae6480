import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { GALLERY } from "../../services/designs/gallery";
import { errors, jsonResponse, security } from "../openapi";

const GalleryList = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.string(),
        locale: z.string(),
        subject: z.string(),
        preheader: z.string(),
      }),
    ),
  })
  .openapi("TemplateGallery");

const route = createRoute({
  method: "get",
  path: "/api/v1/template-gallery",
  operationId: "listTemplateGallery",
  tags: ["Templates"],
  summary: "Starter designs to copy (POST /templates {gallery_id})",
  security,
  responses: {
    200: jsonResponse(GalleryList, "The starter designs, in English and French"),
    401: errors[401],
  },
});

export const registerTemplateGallery = (app: App) =>
  app.openapi(route, (c) =>
    c.json(
      {
        items: GALLERY.map(({ id, name, kind, locale, subject, preheader }) => ({
          id,
          name,
          kind,
          locale,
          subject,
          preheader,
        })),
      },
      200,
    ),
  );
