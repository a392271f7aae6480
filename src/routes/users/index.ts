import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { emailField, headerSafe, timezoneField } from "../../lib/validation";
import { createUser, getUser, listUsers, userView } from "../../services/users";
import { errors, idParam, jsonBody, jsonResponse, listOf, security } from "../openapi";

const User = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    timezone: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("User");

/** A new team member (the API and the web UI's settings page). */
export const UserCreate = z.object({
  name: headerSafe(200).min(1),
  email: emailField,
  timezone: timezoneField.nullable().optional(),
});

const create = createRoute({
  method: "post",
  path: "/api/v1/users",
  operationId: "createUser",
  tags: ["Team"],
  summary: "Add a team member (an inbox assignee)",
  security,
  request: {
    body: jsonBody(UserCreate),
  },
  responses: { 201: jsonResponse(User, "The team member"), 422: errors[422] },
});

const list = createRoute({
  method: "get",
  path: "/api/v1/users",
  operationId: "listUsers",
  tags: ["Team"],
  security,
  request: { query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(User), "Team members"), 400: errors[400] },
});

const get = createRoute({
  method: "get",
  path: "/api/v1/users/{id}",
  operationId: "getUser",
  tags: ["Team"],
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(User, "The team member"), 404: errors[404] },
});

export function registerUserRoutes(app: App) {
  app.openapi(create, async (c) =>
    c.json(userView(await createUser(c.get("tenant"), c.req.valid("json"))), 201),
  );
  app.openapi(list, async (c) => {
    const { items, next_cursor } = await listUsers(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(userView), next_cursor }, 200);
  });
  app.openapi(get, async (c) =>
    c.json(userView(await getUser(c.get("tenant"), c.req.valid("param").id)), 200),
  );
}
