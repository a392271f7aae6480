import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { revokeApiKey } from "../../services/api-keys/store";
import { errors, idParam, jsonResponse, security } from "../openapi";

const route = createRoute({
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

export const registerRevokeApiKey = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    await revokeApiKey(c.get("tenant"), id);
    return c.json({ id, revoked: true as const }, 200);
  });
