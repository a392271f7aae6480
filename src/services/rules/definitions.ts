import { z } from "@hono/zod-openapi";
import { isValidTimezone } from "../../lib/validation";
import { checkWebhookTarget, isWebhookSecret } from "../../providers/outbound-webhook";
import { ConditionsField, Scalar } from "./condition-schema";

export {
  CONDITION_FIELDS,
  CONDITION_OPS,
  type Condition,
  type ConditionLeaf,
  ConditionLeafSchema,
  type ConditionOp,
  ConditionSchema,
  ConditionsField,
  MAX_CONDITION_DEPTH,
} from "./condition-schema";

/**
 * The JSON a rule is made of (API.md, Automation rules): trigger, condition tree and ordered actions.
 * One set of zod schemas validates the API input (422 with field paths) and re-reads stored rules.
 */

export const RULE_TRIGGERS = [
  "email_opened",
  "email_clicked",
  "email_bounced",
  "unsubscribed",
  "page_visit",
  "purchase",
  "form_submit",
  "lead_score_high",
  "contact_created",
  "contact_updated",
  "tag_added",
  "segment_entered",
  "date_reached",
  "email_replied",
  "rfm_segment_changed",
] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];

const MAX_MINUTES = 366 * 24 * 60;
const minutes = z.number().int().min(0).max(MAX_MINUTES);
const tag = z.string().trim().min(1).max(100);

const taskConfig = z
  .object({
    title: z.string().min(1).max(200),
    body: z.string().max(5000).nullable().optional(),
    /** A team member (POST /api/v1/users); unassigned when absent. */
    assignee_id: z.string().max(100).nullable().optional(),
    /** next_action_at = when the action runs + this many minutes. */
    due_in_minutes: minutes.optional(),
  })
  .strict();

export const UPDATABLE_FIELDS = ["first_name", "last_name", "phone", "timezone", "lifecycle_stage"] as const;

const action = <T extends string, C extends z.ZodType>(type: T, config: C) =>
  z.object({ type: z.literal(type), config, delay_minutes: minutes.default(0) }).strict();

export const ActionSchema = z
  .discriminatedUnion("type", [
    action(
      "update_score",
      z
        .object({
          points: z
            .number()
            .int()
            .min(-10_000)
            .max(10_000)
            .refine((p) => p !== 0, "must not be 0"),
        })
        .strict(),
    ),
    action("add_tag", z.object({ tag }).strict()),
    action("remove_tag", z.object({ tag }).strict()),
    action(
      "update_field",
      z
        .object({
          field: z.union([
            z.enum(UPDATABLE_FIELDS),
            z.string().regex(/^attributes\.[\w-]{1,100}$/, "must be a contact field or attributes.<key>"),
          ]),
          value: Scalar,
        })
        .strict()
        .superRefine((c, ctx) => {
          const named = !c.field.startsWith("attributes.");
          if (named && c.value !== null && typeof c.value !== "string")
            ctx.addIssue({ code: "custom", path: ["value"], message: "must be a string or null" });
          if (c.field === "timezone" && typeof c.value === "string" && !isValidTimezone(c.value)) {
            ctx.addIssue({ code: "custom", path: ["value"], message: "must be an IANA time zone" });
          }
        }),
    ),
    action("create_task", taskConfig),
    action("schedule_call", taskConfig),
    action(
      "send_email",
      z
        .object({
          template_id: z.string().max(100).optional(),
          subject: z
            .string()
            .max(998)
            .regex(/^[^\r\n]*$/, "must not contain CR or LF")
            .optional(),
          html: z.string().max(500_000).optional(),
          text: z.string().max(500_000).optional(),
          from_email: z.email().max(320).optional(),
          from_name: z
            .string()
            .max(200)
            .regex(/^[^\r\n]*$/, "must not contain CR or LF")
            .optional(),
          reply_to: z.email().max(320).optional(),
          provider: z.enum(["log", "ses", "brevo"]).optional(),
        })
        .strict()
        .refine(
          (c) => c.template_id || (c.subject && (c.html || c.text)),
          "needs template_id, or subject and html or text",
        ),
    ),
    action("enroll_in_scenario", z.object({ scenario_id: z.string().min(1).max(100) }).strict()),
    action(
      "pause_sequences",
      z
        .object({ scenario_id: z.string().min(1).max(100).optional() })
        .strict()
        .default({}),
    ),
    action(
      "trigger_webhook",
      z
        .object({
          url: z
            .string()
            .max(2000)
            .superRefine((url, ctx) => {
              const check = checkWebhookTarget(url);
              if (!check.ok) ctx.addIssue({ code: "custom", message: `refused: ${check.reason}` });
            }),
          /** Standard Webhooks signing secret (whsec_...); generated when absent. */
          secret: z
            .string()
            .refine(isWebhookSecret, "must be whsec_ followed by base64 of 24-64 bytes")
            .optional(),
        })
        .strict(),
    ),
    action(
      "send_sms",
      z
        .object({
          content: z.string().min(1).max(1000),
          /** Brevo: up to 11 alphanumeric characters or 15 digits. */
          sender: z
            .string()
            .regex(/^([A-Za-z0-9 ]{1,11}|\+?\d{1,15})$/, "must be up to 11 letters/digits or 15 digits"),
          sms_type: z.enum(["transactional", "marketing"]).optional(),
        })
        .strict(),
    ),
  ])
  .openapi("RuleAction", { example: { type: "add_tag", config: { tag: "engaged" }, delay_minutes: 0 } });
export type RuleAction = z.infer<typeof ActionSchema>;

export const TriggerConfigSchema = z
  .object({
    /** lead_score_high: fires when the score goes from below to at or above this. */
    threshold: z.number().int().min(1).max(1_000_000).optional(),
    /** tag_added: only this tag (any tag when absent). */
    tag: tag.optional(),
    /** segment_entered: only this segment (any segment when absent). */
    segment_id: z.string().min(1).max(100).optional(),
    /** date_reached: the date attribute (attributes.<key>, YYYY-MM-DD or ISO-8601) and the day offset. */
    attribute: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/)
      .optional(),
    /** date_reached: days after the date (negative: before it). */
    offset_days: z.number().int().min(-365).max(365).optional(),
    /** date_reached: every year on the date (a birthday) rather than once (a renewal date). */
    yearly: z.boolean().optional(),
    /** rfm_segment_changed: only into this segment. */
    rfm_segment: z.enum(["VIP", "Standard", "At Risk", "Churn"]).optional(),
  })
  .strict()
  .openapi("RuleTriggerConfig");
export type TriggerConfig = z.infer<typeof TriggerConfigSchema>;

const ruleFields = {
  name: z.string().trim().min(1).max(200),
  trigger: z.enum(RULE_TRIGGERS),
  trigger_config: TriggerConfigSchema.optional(),
  conditions: ConditionsField.optional(),
  actions: z.array(ActionSchema).min(1).max(20),
  priority: z.number().int().min(1).max(100).optional(),
  enabled: z.boolean().optional(),
  stop_processing: z.boolean().optional(),
};

/** Rule-level checks that span fields; run on create and on the merged rule after a PATCH. */
export function ruleIssues(rule: {
  trigger: RuleTrigger;
  trigger_config?: TriggerConfig;
}): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  if (rule.trigger === "lead_score_high" && rule.trigger_config?.threshold === undefined) {
    issues.push({ path: ["trigger_config", "threshold"], message: "lead_score_high needs a threshold" });
  }
  if (rule.trigger === "date_reached" && !rule.trigger_config?.attribute) {
    issues.push({ path: ["trigger_config", "attribute"], message: "date_reached needs the date attribute" });
  }
  return issues;
}

export const RuleCreateSchema = z
  .object(ruleFields)
  .strict()
  .superRefine((r, ctx) => {
    for (const i of ruleIssues(r)) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
  })
  .openapi("RuleCreate");
export type RuleCreate = z.infer<typeof RuleCreateSchema>;

export const RulePatchSchema = z.object(ruleFields).partial().strict().openapi("RulePatch");
export type RulePatch = z.infer<typeof RulePatchSchema>;
