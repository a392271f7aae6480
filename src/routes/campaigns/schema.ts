import { z } from "@hono/zod-openapi";
import { emailField, headerSafe, timezoneField } from "../../lib/validation";
import { EXCLUSION_REASONS } from "../../services/campaigns/audience";
import { AutoWinnerSchema } from "../../contracts/auto-winner";
import { UtmSchema } from "../scenarios/schema";

const id = z.string().min(1).max(100);
const Variant = z.object({
  name: headerSafe(100).min(1),
  template_id: id,
  weight: z.number().positive().max(1_000_000),
});

export { AutoWinnerSchema };

const fields = {
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters"),
  kind: z.enum(["standard", "recommendations"]).optional(),
  provider: z.enum(["log", "ses", "brevo"]).optional(),
  from_email: emailField,
  from_name: headerSafe(200).nullable().optional(),
  reply_to: emailField.nullable().optional(),
  template_id: id.nullable().optional(),
  variants: z
    .array(Variant)
    .min(2)
    .max(10)
    .nullable()
    .optional()
    .refine((v) => !v || new Set(v.map((x) => x.name)).size === v.length, "variant names must be unique"),
  templates: z
    .object({ rebuy: id, cross_sell: id, winback: id })
    .strict()
    .nullable()
    .optional()
    .openapi({ description: "kind recommendations: the template of each recommendation kind" }),
  segment_ids: z.array(id).max(20),
  exclude_segment_ids: z.array(id).max(20).optional(),
  send_at: z.iso.datetime({ offset: true }).nullable().optional().openapi({ description: "UTC, ISO-8601" }),
  timezone: timezoneField.nullable().optional().openapi({ description: "The marketer's, for display" }),
  utm: UtmSchema.nullable().optional(),
  track_opens: z.boolean().optional(),
  track_clicks: z.boolean().optional(),
  auto_winner: AutoWinnerSchema.nullable().optional(),
};

export const CampaignCreate = z.object(fields).strict().openapi("CampaignCreate");
export const CampaignPatch = z.object(fields).partial().strict().openapi("CampaignPatch");

export const Campaign = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(["draft", "scheduled", "sending", "sent", "paused", "cancelled"]),
    kind: z.string(),
    provider: z.string(),
    from_email: z.string(),
    segment_ids: z.array(z.string()),
    exclude_segment_ids: z.array(z.string()),
    send_at: z.string().nullable(),
    progress: z.object({ queued: z.number(), finished: z.number(), resolved: z.boolean() }),
    stats: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough()
  .openapi("Campaign");

const reasons = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, z.number()])) as Record<
  (typeof EXCLUSION_REASONS)[number],
  z.ZodNumber
>;

export const DryRunResult = z
  .object({
    audience: z.number(),
    would_send: z.number(),
    excluded: z.object(reasons),
    by_variant: z.record(z.string(), z.number()),
    by_kind: z.record(z.string(), z.number()).optional(),
    by_segment: z.record(z.string(), z.number()).optional(),
    sample: z.array(
      z.object({ contact_id: z.string(), email: z.string(), subject: z.string(), html: z.string() }),
    ),
    errors: z.array(
      z.object({ contact_id: z.string(), code: z.literal("PERSONALIZATION_ERROR"), message: z.string() }),
    ),
  })
  .openapi("CampaignDryRun");
