import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { createContact } from "../../services/contacts/store";
import { ruleDeps } from "../../services/rules/deps";
import { evaluateContactCreated } from "../../services/rules/subscriber";
import { afterContactCreated } from "../../services/contacts/changes";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Contact, ContactCreate } from "./schema";
import { contactView } from "../../services/contacts/view";

const route = createRoute({
  method: "post",
  path: "/api/v1/contacts",
  operationId: "createContact",
  tags: ["Contacts"],
  security,
  request: { body: jsonBody(ContactCreate) },
  responses: { 201: jsonResponse(Contact, "The created contact"), 409: errors[409], 422: errors[422] },
});

export const registerCreateContact = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const row = await createContact(tenant, c.req.valid("json"));
    // Scenarios it matches (ENROLL queue) and the segments it enters (segment_entered rules).
    await afterContactCreated(c.env, tenant, row);
    // contact_created rules (idempotent per contact: the event id derives from it).
    await evaluateContactCreated(ruleDeps(c.env, tenant), row);
    return c.json(contactView(row), 201);
  });
