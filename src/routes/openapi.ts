import { z } from "@hono/zod-openapi";
import { ERROR_CODES } from "../lib/errors";

/** Shared OpenAPI pieces: the error envelope and the responses every route can give. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).openapi({ example: "VALIDATION_ERROR" }),
      message: z.string(),
      details: z.array(
        z.object({ field: z.string().optional(), message: z.string(), line: z.number().optional() }),
      ),
      request_id: z
        .string()
        .optional()
        .openapi({ description: "The response's X-Request-Id: quote it when you report a problem" }),
    }),
  })
  .openapi("Error");

const err = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorSchema } },
});

export const errors = {
  400: err("Malformed JSON or bad query"),
  401: err("Missing or revoked API key"),
  404: err("Not found in this organization"),
  409: err("Conflict"),
  413: err("Body too large"),
  415: err("Unsupported media type"),
  422: err("Well-formed but invalid"),
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  description,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A CSV download (exports): a header row, then a row per item. */
export const csvResponse = {
  description: "CSV with a header row",
  content: { "text/csv": { schema: z.string() } },
};

/** A CSV upload (imports), `Content-Type: text/csv`. */
export const csvBody = { required: true, content: { "text/csv": { schema: z.string() } } } as const;

/** What a CSV import answers besides its own counts: 401, and 413 / 415 for the body. */
export const csvImportErrors = { 401: errors[401], 413: errors[413], 415: errors[415] };

/** `{id, deleted: true}`: what a DELETE that answers 200 says. */
export const deletedResponse = jsonResponse(
  z.object({ id: z.string(), deleted: z.literal(true) }),
  "Deleted",
);

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });

export const security = [{ bearerAuth: [] }];

export const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});
