import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { jsonResponse } from "../openapi";

const health = createRoute({
  method: "get",
  path: "/health",
  operationId: "health",
  tags: ["System"],
  responses: { 200: jsonResponse(z.object({ ok: z.literal(true) }), "The Worker is up") },
});

export const registerSystemRoutes = (app: App) =>
  app.openapi(health, (c) => c.json({ ok: true as const }, 200));
