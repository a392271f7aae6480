import { z } from "@hono/zod-openapi";
import { AutoWinnerSchema } from "../../contracts/auto-winner";
import { SCENARIO_STATUSES, SEQUENCE_STATUSES, STEP_TRIGGERS } from "../../db/schema";
import { paginationQuery } from "../../lib/pagination";
import { emailField, headerSafe, timezoneField } from "../../lib/validation";
import { DAY_NAMES, parseClock } from "../../services/scenarios/planning";

const CLOCK_RE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const clock = (example: string) =>
  z.string().regex(CLOCK_RE, "must be a HH:MM time, 00:00 to 24:00").openapi({ example });

const utmValue = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]*$/, "no control characters");
/** UTM parameters for tracked links (utm_source, utm_medium, utm_campaign, utm_content). */
export const UtmSchema = z
  .object({ source: utmValue, medium: utmValue, campaign: utmValue, content: utmValue.optional() })
  .strict()
  .openapi("Utm");

// No regex flags: OpenAPI patterns have none, so a client generated from the spec must read the same thing.
const DOMAIN_RE = /^@?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

const scenarioShape = {
  name: z.string().trim().min(1).max(200),
  provider: z.enum(["log", "ses", "brevo"]).optional(),
  from_email: emailField,
  from_name: headerSafe(200).nullable().optional(),
  reply_to: emailField.nullable().optional(),
  daily_cap: z.number().int().min(1).max(10_000_000).nullable().optional(),
  cooldown_days: z.number().min(0).max(365).nullable().optional(),
  send_window_start: clock("09:00").nullable().optional(),
  send_window_end: clock("17:30").nullable().optional(),
  send_days: z
    .array(z.enum(DAY_NAMES))
    .min(1)
    .max(7)
    .nullable()
    .optional()
    .openapi({ example: ["mon", "tue", "wed", "thu", "fri"] }),
  timezone: timezoneField.nullable().optional(),
  min_validation_score: z.number().min(0).max(100).nullable().optional(),
  only_deliverable: z.boolean().optional(),
  exclude_domains: z
    .array(z.string().max(253).regex(DOMAIN_RE, "must be a domain such as example.com"))
    .max(1000)
    .optional(),
  segment_id: z.string().max(100).nullable().optional(),
  stop_on_reply: z.boolean().optional(),
  stop_on_unsubscribe: z.boolean().optional(),
  include_unsubscribe: z.boolean().optional(),
  utm: UtmSchema.nullable().optional(),
};

/** Windows are compared only when both times are well-formed (a bad one has its own issue). */
const windowCheck = (
  v: { send_window_start?: string | null; send_window_end?: string | null },
  ctx: z.RefinementCtx,
) => {
  const ok = (t: string | null | undefined) => !t || CLOCK_RE.test(t);
  if (!ok(v.send_window_start) || !ok(v.send_window_end)) return;
  const start = v.send_window_start ? parseClock(v.send_window_start) : 0;
  const end = v.send_window_end ? parseClock(v.send_window_end) : 1440;
  if (v.send_window_start === "24:00")
    ctx.addIssue({ code: "custom", path: ["send_window_start"], message: "must be before 24:00" });
  else if (end <= start)
    ctx.addIssue({ code: "custom", path: ["send_window_end"], message: "must be after send_window_start" });
};

export const ScenarioCreate = z.object(scenarioShape).superRefine(windowCheck).openapi("ScenarioCreate");

/** Any creation field; the window rule holds on what is given (the service checks the merged row). */
export const ScenarioPatch = z
  .object(scenarioShape)
  .partial()
  .extend({ name: scenarioShape.name.optional(), from_email: emailField.optional() })
  .superRefine(windowCheck)
  .openapi("ScenarioPatch");

/** A step's automatic winner: the campaign's settings without the test split (a step has no audience to split). */
const StepAutoWinner = AutoWinnerSchema.omit({ test_percent: true, decide_after_hours: true }).openapi(
  "StepAutoWinner",
);

export const WinnerDecisionSchema = z
  .object({
    variant: z.string(),
    decided_at: z.string(),
    probability: z.number(),
    metric: z.string(),
    reached: z
      .boolean()
      .openapi({ description: "False when a campaign's deadline came first: the leader was sent" }),
    figures: z.array(
      z.object({
        name: z.string(),
        sent: z.number(),
        successes: z.number(),
        rate: z.number(),
        probability_best: z.number(),
      }),
    ),
  })
  .openapi("WinnerDecision");

const Counters = {
  sent: z.number(),
  opened: z.number(),
  clicked: z.number(),
  replied: z.number(),
  reply_rate: z.number(),
  open_rate: z.number(),
  click_rate: z.number(),
};

export const Step = z
  .object({
    step_order: z.number(),
    name: z.string(),
    trigger: z.enum(STEP_TRIGGERS),
    parent_step_order: z.number().nullable(),
    delay_days: z.number(),
    delay_hours: z.number(),
    delay_minutes: z.number(),
    template_id: z.string(),
    ...Counters,
    variants: z.array(
      z.object({
        name: z.string(),
        template_id: z.string(),
        weight: z.number(),
        ...Counters,
        probability_best: z.number().optional().openapi({
          description:
            "Probability that this variant is best on the step's auto_winner metric (click_rate by default)",
        }),
      }),
    ),
    auto_winner: StepAutoWinner.nullable(),
    winner: WinnerDecisionSchema.nullable(),
  })
  .openapi("ScenarioStep");

const SequenceCounts = z.object({
  active: z.number(),
  completed: z.number(),
  stopped: z.number(),
  failed: z.number(),
  converted: z.number().optional().openapi({ description: "A journey's runs that reached its goal" }),
  exited: z
    .number()
    .optional()
    .openapi({ description: "A journey's runs that left it (exit_on, a removed node)" }),
});

export const Scenario = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(SCENARIO_STATUSES),
    paused_reason: z.string().nullable().openapi({
      description: "Why it is paused: manual, or the deliverability guard's bounce_rate / complaint_rate",
    }),
    provider: z.string(),
    from_email: z.string(),
    from_name: z.string().nullable(),
    reply_to: z.string().nullable(),
    daily_cap: z.number().nullable(),
    cooldown_days: z.number().nullable(),
    send_window_start: z.string().nullable(),
    send_window_end: z.string().nullable(),
    send_days: z.array(z.string()).nullable(),
    timezone: z.string().nullable(),
    min_validation_score: z.number().nullable(),
    only_deliverable: z.boolean(),
    exclude_domains: z.array(z.string()),
    segment_id: z.string().nullable(),
    stop_on_reply: z.boolean(),
    stop_on_unsubscribe: z.boolean(),
    include_unsubscribe: z.boolean(),
    utm: z
      .object({
        source: z.string(),
        medium: z.string(),
        campaign: z.string(),
        content: z.string().optional(),
      })
      .nullable(),
    steps_version: z.number(),
    progress: z.object({ enrolled: z.number(), eligible: z.number(), complete: z.boolean() }),
    started_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Scenario");

export const ScenarioDetail = Scenario.extend({ steps: z.array(Step), sequences: SequenceCounts }).openapi(
  "ScenarioDetail",
);

export const StepInput = z.object({
  step_order: z.number().int().min(1).max(10_000),
  name: z.string().trim().min(1).max(200),
  trigger: z.enum(STEP_TRIGGERS),
  parent_step_order: z.number().int().nullable().optional(),
  delay_days: z.number().int().min(0).max(365).optional(),
  delay_hours: z.number().int().min(0).max(10_000).optional(),
  delay_minutes: z.number().int().min(0).max(1_000_000).optional(),
  template_id: z.string().min(1).max(100),
  variants: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(50),
        template_id: z.string().min(1).max(100),
        weight: z.number(),
      }),
    )
    .max(10)
    .optional(),
  auto_winner: StepAutoWinner.nullable().optional(),
});

export const StepsPut = z.object({ steps: z.array(StepInput).min(1).max(50) }).openapi("ScenarioStepsPut");

export const DetailQuery = z.object({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({ description: "Steps version to show (default: the current one)" }),
});

export const SequenceListQuery = z.object({
  ...paginationQuery,
  status: z.enum(SEQUENCE_STATUSES).optional(),
});

export const Sequence = z
  .object({
    id: z.string(),
    contact_id: z.string(),
    status: z.enum(SEQUENCE_STATUSES),
    current_step_order: z.number().nullable(),
    next_run_at: z.string().nullable(),
    steps_version: z.number(),
    stop_reason: z.string().nullable(),
    updated_at: z.string(),
  })
  .openapi("ContactSequence");
