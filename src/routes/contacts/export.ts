import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { exportContact } from "../../services/contacts/privacy";
import { errors, idParam, jsonResponse, security } from "../openapi";

const route = createRoute({
  method: "get",
  path: "/api/v1/contacts/{id}/export",
  operationId: "exportContact",
  tags: ["Contacts"],
  summary: "Everything held about the person (GDPR access request)",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(z.record(z.string(), z.unknown()), "The export"), 404: errors[404] },
});

export const registerExportContact = (app: App) =>
  app.openapi(route, async (c) => c.json(await exportContact(c.get("tenant"), c.req.valid("param").id), 200));
