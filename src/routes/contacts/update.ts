import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { afterContactUpdated } from "../../services/contacts/changes";
import { getContact, updateContact } from "../../services/contacts/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { Contact, ContactPatch } from "./schema";
import { contactView } from "../../services/contacts/view";

const route = createRoute({
  method: "patch",
  path: "/api/v1/contacts/{id}",
  operationId: "updateContact",
  tags: ["Contacts"],
  security,
  request: { params: idParam, body: jsonBody(ContactPatch) },
  responses: {
    200: jsonResponse(Contact, "The updated contact"),
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerUpdateContact = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const id = c.req.valid("param").id;
    const before = await getContact(tenant, id);
    const row = await updateContact(tenant, id, c.req.valid("json"));
    // Scenarios it now matches, contact_updated and segment_entered rules.
    await afterContactUpdated(c.env, tenant, before, row);
    return c.json(contactView(row), 200);
  });
