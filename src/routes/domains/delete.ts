import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { deleteDomain } from "../../services/domains/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { tags } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/api/v1/domains/{id}",
  operationId: "deleteDomain",
  tags,
  summary: "Forget a sending domain (mail from it is no longer checked against it)",
  security,
  request: { params: idParam },
  responses: {
    200: jsonResponse(z.object({ id: z.string(), deleted: z.literal(true) }), "Deleted"),
    404: errors[404],
  },
});

export const registerDeleteDomain = (app: App) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    await deleteDomain(c.get("tenant"), id);
    return c.json({ id, deleted: true as const }, 200);
  });
