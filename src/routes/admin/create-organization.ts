import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { adminAuth } from "../../middleware/auth";
import { createOrganization } from "../../services/organizations";
import { errors, jsonBody, jsonResponse } from "../openapi";

const route = createRoute({
  method: "post",
  path: "/api/v1/admin/organizations",
  operationId: "createOrganization",
  tags: ["Admin"],
  summary: "Create an organization and its first API key (operator token)",
  description: "The API key is shown once; only its SHA-256 hash is stored.",
  security: [{ adminToken: [] }],
  middleware: [adminAuth] as const,
  request: { body: jsonBody(z.object({ name: z.string().trim().min(1).max(200) })) },
  responses: {
    201: jsonResponse(
      z.object({ organization: z.object({ id: z.string(), name: z.string() }), api_key: z.string() }),
      "The organization and its API key",
    ),
    401: errors[401],
    422: errors[422],
  },
});

export const registerCreateOrganization = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await createOrganization(c.get("db"), c.req.valid("json").name), 201),
  );
