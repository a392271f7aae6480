import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { formSnippet, getForm } from "../../services/forms/store";
import { errors, idParam, jsonResponse, security } from "../openapi";

const route = createRoute({
  method: "get",
  path: "/api/v1/forms/{id}/embed",
  operationId: "embedForm",
  tags: ["Forms"],
  summary: "The form's HTML to paste into another site: it posts to /f/:token (double opt-in as set)",
  security,
  request: { params: idParam },
  responses: {
    200: jsonResponse(z.object({ html: z.string() }).openapi("FormEmbed"), "The snippet"),
    404: errors[404],
  },
});

export const registerEmbedForm = (app: App) =>
  app.openapi(route, async (c) => {
    const form = await getForm(c.get("tenant"), c.req.valid("param").id);
    return c.json({ html: formSnippet(form, `${configOf(c.env).PUBLIC_BASE_URL}/f/${form.token}`) }, 200);
  });
