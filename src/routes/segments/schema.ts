import { z } from "@hono/zod-openapi";
import { checkCriteria } from "../../services/segments/criteria-check";
import type { Criteria } from "../../services/segments/types";
import { FIELD_NAMES, OPERATORS } from "../../services/segments/fields";
import { Contact } from "../contacts/schema";

/** Criteria: checked by services/segments/criteria.ts, every problem reported with its path. */
export const CriteriaSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    for (const issue of checkCriteria(value))
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  })
  .transform((v) => v as Criteria)
  .openapi({
    type: "object",
    description: `{"logic": "and"|"or", "conditions": [{field, operator, value} | {logic, conditions}]}: at most 5 levels and 100 conditions. Fields: ${FIELD_NAMES.join(", ")}. Operators: ${OPERATORS.join(", ")}.`,
    example: {
      logic: "and",
      conditions: [
        { field: "tags", operator: "contains", value: "vip" },
        { field: "score", operator: "gte", value: 20 },
        {
          logic: "or",
          conditions: [
            { field: "last_opened_at", operator: "within_last_days", value: 30 },
            { field: "purchase_count", operator: "gte", value: 2 },
          ],
        },
      ],
    },
  });

const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");
const description = z.string().max(2000).nullable().optional();

export const SegmentCreate = z
  .object({ name, description, type: z.enum(["dynamic", "static"]), criteria: CriteriaSchema.optional() })
  .openapi("SegmentCreate");

export const SegmentPatch = z
  .object({ name: name.optional(), description, criteria: CriteriaSchema.optional() })
  .openapi("SegmentPatch");

export const Segment = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    type: z.enum(["dynamic", "static"]),
    criteria: z.unknown().nullable(),
    contact_count: z.number().optional(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Segment");

export const Preview = z.object({ count: z.number(), sample: z.array(Contact) }).openapi("SegmentPreview");

export const Stats = z
  .object({
    contact_count: z.number(),
    average_score: z.number(),
    opened_30d: z.number(),
    clicked_30d: z.number(),
    purchasers: z.number(),
  })
  .openapi("SegmentStats");

export const MembersInput = z
  .object({
    contact_ids: z.array(z.string().min(1).max(100)).max(10_000).optional(),
    emails: z.array(z.string().max(320)).max(10_000).optional(),
  })
  .refine((v) => (v.contact_ids?.length ?? 0) + (v.emails?.length ?? 0) > 0, "give contact_ids or emails")
  .openapi("SegmentMembersInput");

export const Result = z.object({
  added: z.number().optional(),
  removed: z.number().optional(),
  not_found: z.array(z.string()),
});
