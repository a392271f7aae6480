import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { csvBodyLimit, requireMediaType } from "../../middleware/body";
import { importSuppressions } from "../../services/suppressions/manage";
import { errors, jsonResponse, security } from "../openapi";
import { AddResult, tags } from "./schema";

export const SUPPRESSION_IMPORT_PATH = "/api/v1/suppressions/import";

const route = createRoute({
  method: "post",
  path: SUPPRESSION_IMPORT_PATH,
  operationId: "importSuppressions",
  tags,
  summary: "Import a suppression list from CSV (a column `email`; up to 10 MB)",
  description: "Rejected lines come back with their line number and reason, as in the contact import.",
  security,
  middleware: [requireMediaType("text/csv"), csvBodyLimit] as const,
  request: { body: { required: true, content: { "text/csv": { schema: z.string() } } } },
  responses: {
    200: jsonResponse(AddResult, "What was imported"),
    413: errors[413],
    415: errors[415],
  },
});

export const registerImportSuppressions = (app: App) =>
  app.openapi(route, async (c) => c.json(await importSuppressions(c.get("tenant"), await c.req.text()), 200));
