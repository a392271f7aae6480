import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { listApiKeys } from "../../services/api-keys/store";
import { jsonResponse, security } from "../openapi";

const route = createRoute({
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

export const registerListApiKeys = (app: App) =>
  app.openapi(route, async (c) =>
    c.json({ items: await listApiKeys(c.get("tenant")), next_cursor: null }, 200),
  );
