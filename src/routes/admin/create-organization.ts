import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { adminAuth } from "../../middleware/auth";
import { databaseNames } from "../../db/route";
import { validationError } from "../../lib/errors";
import { createOrganization } from "../../services/organizations/store";
import { errors, jsonBody, jsonResponse } from "../openapi";

/** A new organization (the operator API and the web UI's first-run form). */
export const OrganizationCreate = z.object({
  name: z.string().trim().min(1).max(200),
  database: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
    .optional()
    .openapi({ description: "The D1 binding that will hold its data (DB, or one named in D1_SHARDS)" }),
});

const route = createRoute({
  method: "post",
  path: "/api/v1/admin/organizations",
  operationId: "createOrganization",
  tags: ["Admin"],
  summary: "Create an organization and its first API key (operator token)",
  description: "The API key is shown once; only its SHA-256 hash is stored.",
  security: [{ adminToken: [] }],
  middleware: [adminAuth] as const,
  request: {
    body: jsonBody(OrganizationCreate),
  },
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
  app.openapi(route, async (c) => {
    const { name, database } = c.req.valid("json");
    if (database && !databaseNames(c.env).includes(database))
      throw validationError(
        "database",
        `not one of the configured D1 databases: ${databaseNames(c.env).join(", ")}`,
      );
    return c.json(await createOrganization(c.env, name, database), 201);
  });
