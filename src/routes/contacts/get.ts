import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { contactView, getContact } from "../../services/contacts";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Contact } from "./schema";

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
