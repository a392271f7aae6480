import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";

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

const createKey = createRoute({
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

const listKeys = createRoute({
  method: "get",
  path: "/api/v1/api-keys",
  operationId: "listApiKeys",
  tags: ["API keys"],
  security,
  responses: {
    200: jsonResponse(
      z.object({
        items: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            prefix: z.string(),
            user_id: z.string().nullable(),
            created_at: z.string(),
          }),
        ),
        next_cursor: z.null(),
      }),
      "Active keys (never the secret)",
    ),
  },
});

const revokeKey = createRoute({
  method: "delete",
  path: "/api/v1/api-keys/{id}",
  operationId: "revokeApiKey",
  tags: ["API keys"],
  security,
  request: { params: idParam },
  responses: {
    200: jsonResponse(z.object({ id: z.string(), revoked: z.literal(true) }), "Revoked"),
    404: errors[404],
  },
});

export function registerApiKeyRoutes(app: App) {
  app.openapi(createKey, async (c) => c.json(await createApiKey(c.get("tenant"), c.req.valid("json")), 201));
  app.openapi(listKeys, async (c) =>
    c.json({ items: await listApiKeys(c.get("tenant")), next_cursor: null }, 200),
  );
  app.openapi(revokeKey, async (c) => {
    const { id } = c.req.valid("param");
    await revokeApiKey(c.get("tenant"), id);
    return c.json({ id, revoked: true as const }, 200);
  });
}
