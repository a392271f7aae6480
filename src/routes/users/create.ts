import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { emailField, headerSafe, timezoneField } from "../../lib/validation";
import { createUser, userView } from "../../services/users/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { User } from "./schema";

/** A new team member (the API and the web UI's settings page). */
export const UserCreate = z.object({
  name: headerSafe(200).min(1),
  email: emailField,
  timezone: timezoneField.nullable().optional(),
});

const route = createRoute({
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

export const registerCreateUser = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(userView(await createUser(c.get("tenant"), c.req.valid("json"))), 201),
  );
