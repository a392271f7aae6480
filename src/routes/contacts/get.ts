import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getContact } from "../../services/contacts/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Contact } from "./schema";
import { contactView } from "../../services/contacts/view";

const route = createRoute({
  method: "get",
  path: "/api/v1/contacts/{id}",
  operationId: "getContact",
  tags: ["Contacts"],
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Contact, "The contact"), 404: errors[404] },
});

export const registerGetContact = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(contactView(await getContact(c.get("tenant"), c.req.valid("param").id)), 200),
  );
