import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { csvBodyLimit, requireMediaType } from "../../middleware/body";
import { ApiError } from "../../lib/errors";
import { afterImport } from "../../services/contacts/changes";
import { importContacts } from "../../services/contacts/import";
import { getSegment, insertMembers } from "../../services/segments/store";
import { errors, jsonResponse, security } from "../openapi";
import { ImportResult } from "./schema";

export const IMPORT_PATH = "/api/v1/contacts/import";

const route = createRoute({
  method: "post",
  path: IMPORT_PATH,
  operationId: "importContacts",
  tags: ["Contacts"],
  summary: "Import contacts from CSV (header row; up to 10 MB)",
  description:
    "Columns email, first_name, last_name, phone, timezone, locale, tags (`;`-separated); any other column goes to attributes. " +
    "Contacts are upserted by email: a re-import updates them. Bad rows come back with their line number and reason.",
  security,
  middleware: [requireMediaType("text/csv"), csvBodyLimit] as const,
  request: {
    query: z.object({
      segment_id: z
        .string()
        .min(1)
        .max(100)
        .optional()
        .openapi({ description: "A static segment every imported contact (new or updated) joins" }),
    }),
    body: { required: true, content: { "text/csv": { schema: z.string() } } },
  },
  responses: {
    200: jsonResponse(ImportResult, "What was imported"),
    401: errors[401],
    404: errors[404],
    409: errors[409],
    413: errors[413],
    415: errors[415],
  },
});

export const registerImportContacts = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const { segment_id } = c.req.valid("query");
    // Checked before anything is imported: an unknown segment is a 404, a dynamic one a 409.
    const segment = segment_id ? await getSegment(tenant, segment_id) : null;
    if (segment && segment.type !== "static")
      throw new ApiError("CONFLICT", "only a static segment takes imported members");
    const { createdIds, updatedIds, ...result } = await importContacts(tenant, await c.req.text());
    if (segment) await insertMembers(tenant, segment.id, [...createdIds, ...updatedIds]);
    await afterImport(c.env, tenant, createdIds, updatedIds);
    return c.json(result, 200);
  });
