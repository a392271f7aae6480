import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { createApiKey } from "../../services/api-keys/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";

const ApiKeyCreated = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    user_id: z.string().nullable(),
    api_key: z.string(),
  })
  .openapi("ApiKeyCreated");

/** A new API key (the API and the web UI's settings page). */
export const ApiKeyCreate = z.object({
  name: z.string().trim().min(1).max(200),
  user_id: z.string().max(100).nullable().optional(),
});

const route = createRoute({
  method: "post",
  path: "/api/v1/api-keys",
  operationId: "createApiKey",
  tags: ["API keys"],
  summary: "Create an API key (shown once), optionally bound to a team member",
  security,
  request: {
    body: jsonBody(ApiKeyCreate),
  },
  responses: { 201: jsonResponse(ApiKeyCreated, "The new key"), 422: errors[422] },
});

export const registerCreateApiKey = (app: App) =>
  app.openapi(route, async (c) => c.json(await createApiKey(c.get("tenant"), c.req.valid("json")), 201));
