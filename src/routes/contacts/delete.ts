import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { eraseContact } from "../../services/contacts/privacy";
import { errors, idParam, jsonResponse, security } from "../openapi";

const route = createRoute({
  method: "delete",
  path: "/api/v1/contacts/{id}",
  operationId: "eraseContact",
  tags: ["Contacts"],
  summary: "Erase a contact (GDPR): the data goes, the address stays suppressed as a hash",
  security,
  request: { params: idParam },
  responses: {
    200: jsonResponse(z.object({ id: z.string(), erased: z.literal(true) }), "Erased"),
    404: errors[404],
  },
});

export const registerEraseContact = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    await eraseContact(c.get("tenant"), id);
    return c.json({ id, erased: true as const }, 200);
  });
