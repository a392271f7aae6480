import { z } from "@hono/zod-openapi";
import { paginationQuery } from "../../lib/pagination";
import { MAX_ADD, SUPPRESSION_REASONS } from "../../services/suppressions/manage";

export const tags = ["Suppressions"];

export const Suppression = z
  .object({
    email: z.string().nullable(),
    email_hash: z
      .string()
      .nullable()
      .openapi({ description: "Only for an erased address (or one suppressed before addresses were kept)" }),
    reason: z.enum(SUPPRESSION_REASONS),
    source: z
      .string()
      .nullable()
      .openapi({ description: "ses, brevo, unsubscribe, api, import, ui, erasure ..." }),
    created_at: z.string(),
  })
  .openapi("Suppression");

export const SuppressionFilter = {
  reason: z.enum(SUPPRESSION_REASONS).optional(),
  q: z.string().max(320).optional().openapi({ description: "Part of the address, or a whole address" }),
};

export const SuppressionQuery = z.object({ ...paginationQuery, ...SuppressionFilter });

export const AddSuppressions = z
  .object({
    emails: z.array(z.string().max(320)).min(1).max(MAX_ADD),
    reason: z.literal("manual").default("manual"),
  })
  .strict()
  .openapi("AddSuppressions");

export const AddResult = z
  .object({
    added: z.number(),
    existing: z.number().openapi({ description: "Already on the list (their first reason stays)" }),
    rejected: z.array(z.object({ line: z.number().optional(), email: z.string(), reason: z.string() })),
  })
  .openapi("SuppressionsAdded");

export const EmailParam = z.object({
  email: z
    .string()
    .min(3)
    .max(320)
    .openapi({ param: { name: "email", in: "path" }, example: "ada@example.com" }),
});
