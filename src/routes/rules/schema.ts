import { z } from "@hono/zod-openapi";
import { paginationQuery } from "../../lib/pagination";
import { emailField, jsonObject } from "../../lib/validation";
import {
  ActionSchema,
  ConditionSchema,
  RULE_TRIGGERS,
  TriggerConfigSchema,
} from "../../services/rules/definitions";

export {
  RuleCreateSchema as RuleCreate,
  RulePatchSchema as RulePatch,
} from "../../services/rules/definitions";

export const Rule = z
  .object({
    id: z.string(),
    name: z.string(),
    trigger: z.enum(RULE_TRIGGERS),
    trigger_config: TriggerConfigSchema,
    conditions: z.union([ConditionSchema, z.object({}).strict()]),
    actions: z.array(ActionSchema),
    priority: z.number().int(),
    enabled: z.boolean(),
    stop_processing: z.boolean(),
    is_default: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Rule");

export const RuleListQuery = z.object({
  ...paginationQuery,
  trigger: z.enum(RULE_TRIGGERS).optional(),
  enabled: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "Only enabled (true) or disabled (false) rules" }),
});

const RunAction = z.object({
  index: z.number().int(),
  type: z.string(),
  status: z.enum(["pending", "running", "scheduled", "executed", "skipped", "failed"]),
  reason: z.string().nullable().openapi({ description: "Why it was skipped or failed, or what it did" }),
  due_at: z.string().nullable(),
  at: z.string().nullable(),
  attempts: z.number().int(),
});

export const RuleRun = z
  .object({
    id: z.string(),
    rule_id: z.string(),
    event_id: z.string().nullable(),
    trigger: z.string().nullable(),
    contact_id: z.string().nullable(),
    depth: z.number().int(),
    status: z.enum(["running", "scheduled", "completed", "failed"]),
    actions: z.array(RunAction),
    created_at: z.string(),
  })
  .openapi("RuleRun");

export const RunListQuery = z.object(paginationQuery);

export const DryRunBody = z
  .object({
    event: z
      .object({
        type: z.enum(RULE_TRIGGERS),
        contact_id: z.string().min(1).max(100).optional(),
        email: emailField.optional(),
        properties: jsonObject().optional(),
      })
      .strict()
      .openapi({
        description:
          "The event to test. lead_score_high takes properties {score_before, score_after}; tag_added takes {tag}.",
        example: { type: "purchase", contact_id: "ct_...", properties: { amount: 60 } },
      }),
  })
  .strict()
  .openapi("RuleTestRequest");

const PlannedAction = z.object({
  index: z.number().int(),
  type: z.string(),
  config: z.record(z.string(), z.unknown()),
  delay_minutes: z.number().int(),
  run_at: z.string(),
  mode: z.enum(["immediate", "queued", "delayed"]),
});

export const DryRunResult = z
  .object({
    trigger: z.enum(RULE_TRIGGERS),
    contact_id: z.string().nullable(),
    matched: z.array(
      z.object({
        rule_id: z.string(),
        name: z.string(),
        priority: z.number(),
        stop_processing: z.boolean(),
        actions: z.array(PlannedAction),
      }),
    ),
    not_matched: z.array(
      z.object({ rule_id: z.string(), name: z.string(), priority: z.number(), reason: z.string() }),
    ),
    stopped_by: z.string().nullable(),
  })
  .openapi("RuleTestResult");
