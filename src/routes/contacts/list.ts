import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { listContacts } from "../../services/contacts/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Contact, ContactListQuery } from "./schema";
import { contactView } from "../../services/contacts/view";

const route = createRoute({
  method: "get",
  path: "/api/v1/contacts",
  operationId: "listContacts",
  tags: ["Contacts"],
  security,
  request: { query: ContactListQuery },
  responses: { 200: jsonResponse(listOf(Contact), "A page of contacts, oldest first"), 400: errors[400] },
});

export const registerListContacts = (app: App) =>
  app.openapi(route, async (c) => {
    const { items, next_cursor } = await listContacts(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(contactView), next_cursor }, 200);
  });
