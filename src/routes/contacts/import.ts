import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { csvBodyLimit, requireMediaType } from "../../middleware/body";
import { now } from "../../lib/clock";
import { importContacts } from "../../services/contact-import";
import { enrollContactsCreatedSince } from "../../services/scenarios/enrollment";
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
    "Columns email, first_name, last_name, phone, timezone, tags (`;`-separated); any other column goes to attributes. " +
    "Contacts are upserted by email: a re-import updates them. Bad rows come back with their line number and reason.",
  security,
  middleware: [requireMediaType("text/csv"), csvBodyLimit] as const,
  request: { body: { required: true, content: { "text/csv": { schema: z.string() } } } },
  responses: { 200: jsonResponse(ImportResult, "What was imported"), 413: errors[413], 415: errors[415] },
});

export const registerImportContacts = (app: App) =>
  app.openapi(route, async (c) => {
    const since = now();
    const result = await importContacts(c.get("tenant"), await c.req.text());
    // Contacts created while scenarios are active enter the ones they match (ENROLL queue).
    if (result.created > 0) await enrollContactsCreatedSince(c.env, c.get("tenant"), since);
    return c.json(result, 200);
  });
