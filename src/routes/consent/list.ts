import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getContact } from "../../services/contacts/store";
import { consentHistory } from "../../services/consent/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Record } from "./schema";

const tags = ["Consent"];

const route = createRoute({
  method: "get",
  path: "/api/v1/contacts/{id}/consents",
  operationId: "listContactConsents",
  tags,
  summary: "The contact's consent history, newest first (an audit trail: never changed in place)",
  security,
  request: { params: idParam },
  responses: {
    200: jsonResponse(z.object({ items: z.array(Record) }), "The history"),
    401: errors[401],
    404: errors[404],
  },
});

export const registerListContactConsents = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const contact = await getContact(tenant, c.req.valid("param").id);
    return c.json({ items: (await consentHistory(tenant, contact.id)) as z.infer<typeof Record>[] }, 200);
  });
