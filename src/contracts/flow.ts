/**
 * A scenario's journey as a graph (API.md, "Journeys: a scenario as a graph"): what PUT /flow takes,
 * GET /flow answers and the SequenceDO walks. The steps API writes one too (services/scenarios/flow).
 */
import { z } from "zod";
import { BEHAVIOUR_EVENT_TYPES } from "./events";

export const MAX_FLOW_NODES = 200;
export const NODE_ID = /^[A-Za-z0-9_-]{1,40}$/;
export const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** What a wait_for node (and an event goal) can wait for. */
export const WAIT_FOR_EVENTS = ["opened", "clicked", "replied", ...BEHAVIOUR_EVENT_TYPES] as const;
export type WaitForEvent = (typeof WAIT_FOR_EVENTS)[number];

/** What starts a run of an event-entry journey. */
export const ENTRY_EVENTS = [
  ...BEHAVIOUR_EVENT_TYPES,
  "email_opened",
  "email_clicked",
  "email_replied",
  "tag_added",
  "contact_created",
  "score_reached",
  "rfm_segment_changed",
] as const;
export type EntryEvent = (typeof ENTRY_EVENTS)[number];

export const EXIT_ON = ["unsubscribed", "replied", "bounced"] as const;

/** The rule action types an action node can apply (services/rules). */
export const FLOW_ACTIONS = [
  "add_tag",
  "remove_tag",
  "update_field",
  "update_score",
  "create_task",
  "schedule_call",
  "trigger_webhook",
  "send_sms",
  "enroll_in_scenario",
  "notify",
] as const;

const id = z.string().regex(NODE_ID, "letters, digits, _ and -, at most 40");
const next = id.optional();
const props = z.record(z.string().max(100), z.union([z.string().max(500), z.number(), z.boolean()]));
const duration = {
  days: z.number().int().min(0).max(3650).optional(),
  hours: z.number().int().min(0).max(87_600).optional(),
  minutes: z.number().int().min(0).max(5_256_000).optional(),
};
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM");
/** Segment criteria (services/segments/criteria-check.ts checks them in depth). */
const criteria = z.record(z.string(), z.any());

const variant = z.object({
  name: z.string().trim().min(1).max(50),
  template_id: z.string().min(1).max(100),
  weight: z.number().positive().max(1000),
});

export const EmailNode = z
  .object({
    id,
    type: z.literal("email"),
    name: z.string().trim().max(200).optional(),
    template_id: z.string().min(1).max(100).optional(),
    variants: z.array(variant).min(1).max(10).optional(),
    auto_winner: z.record(z.string(), z.any()).nullish(),
    next,
  })
  .strict();
export const SmsNode = z
  .object({
    id,
    type: z.literal("sms"),
    content: z.string().min(1).max(1000),
    sender: z.string().min(1).max(11),
    next,
  })
  .strict();
export const WaitNode = z
  .object({
    id,
    type: z.literal("wait"),
    // A number of days for a duration; the days of the week for `until_time`.
    days: z.union([z.number().int().min(0).max(3650), z.array(z.enum(DAY_NAMES)).min(1).max(7)]).optional(),
    hours: duration.hours,
    minutes: duration.minutes,
    until_attribute: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/)
      .optional(),
    offset_days: z.number().int().min(-3650).max(3650).optional(),
    until_time: clock.optional(),
    next,
  })
  .strict();
export const WaitForNode = z
  .object({
    id,
    type: z.literal("wait_for"),
    event: z.enum(WAIT_FOR_EVENTS),
    name: z.string().max(100).optional(),
    node: id.optional(),
    within: z.object(duration).strict(),
    yes: next,
    no: next,
  })
  .strict();
export const ConditionNode = z
  .object({ id, type: z.literal("condition"), criteria, yes: next, no: next })
  .strict();
export const SplitNode = z
  .object({
    id,
    type: z.literal("split"),
    paths: z
      .array(
        z
          .object({ name: z.string().trim().min(1).max(50), percent: z.number().int().min(0).max(100), next })
          .strict(),
      )
      .min(2)
      .max(10),
  })
  .strict();
export const ParallelNode = z
  .object({ id, type: z.literal("parallel"), paths: z.array(id).min(1).max(10) })
  .strict();
export const ActionNode = z
  .object({
    id,
    type: z.literal("action"),
    action: z
      .object({ type: z.enum(FLOW_ACTIONS), config: z.record(z.string(), z.any()).default({}) })
      .strict(),
    next,
  })
  .strict();
export const ExitNode = z.object({ id, type: z.literal("exit") }).strict();

export const FlowNode = z.discriminatedUnion("type", [
  EmailNode,
  SmsNode,
  WaitNode,
  WaitForNode,
  ConditionNode,
  SplitNode,
  ParallelNode,
  ActionNode,
  ExitNode,
]);
export type FlowNode = z.infer<typeof FlowNode>;
export type NodeType = FlowNode["type"];

export const FlowEntry = z.discriminatedUnion("type", [
  z.object({ type: z.literal("segment"), segment_id: z.string().min(1).max(100).nullish() }).strict(),
  z
    .object({
      type: z.literal("event"),
      event: z.enum(ENTRY_EVENTS),
      name: z.string().max(100).optional(),
      tag: z.string().max(100).optional(),
      threshold: z.number().optional(),
      properties: props.optional(),
      dedup_key: z.string().min(1).max(100).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("date"),
      attribute: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/),
      offset_days: z.number().int().min(-3650).max(3650).optional(),
      yearly: z.boolean().optional(),
      at: clock.optional(),
    })
    .strict(),
  z.object({ type: z.literal("manual") }).strict(),
]);
export type FlowEntry = z.infer<typeof FlowEntry>;

export const FlowReentry = z
  .object({
    policy: z.enum(["once", "always", "after_days"]),
    days: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
export type FlowReentry = z.infer<typeof FlowReentry>;

export const FlowGoal = z.union([
  z
    .object({
      event: z.enum(WAIT_FOR_EVENTS),
      name: z.string().max(100).optional(),
      properties: props.optional(),
    })
    .strict(),
  z.object({ criteria }).strict(),
]);
export type FlowGoal = z.infer<typeof FlowGoal>;

export const FlowInput = z
  .object({
    entry: FlowEntry,
    reentry: FlowReentry.optional(),
    goal: FlowGoal.nullish(),
    exit_on: z.array(z.enum(EXIT_ON)).max(3).optional(),
    start: id,
    nodes: z
      .array(FlowNode)
      .min(1)
      .max(MAX_FLOW_NODES + 1),
    /** Where the canvas draws each node (optional; the canvas lays out the others). */
    layout: z
      .record(id, z.object({ x: z.number().min(-1e6).max(1e6), y: z.number().min(-1e6).max(1e6) }).strict())
      .refine((l) => Object.keys(l).length <= MAX_FLOW_NODES + 1, "one position per node")
      .optional(),
  })
  .strict();
export type FlowInput = z.infer<typeof FlowInput>;

/**
 * A flow as it is stored and walked: the input, with each email node's number (the step_order its
 * messages, ledger rows and A/B counters carry) and, for a flow the steps API wrote, the steps.
 */
export interface Flow extends FlowInput {
  reentry: FlowReentry;
  exit_on: (typeof EXIT_ON)[number][];
  /** Email node id -> its number (stable across versions: messages and stats keep it). */
  orders: Record<string, number>;
}

/** A zod path as the flow's checks name it: `nodes[3].next`. */
export const flowField = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    "",
  );

/** The zod issues of a flow as the API's 422 details. */
export const flowZodDetails = (e: z.ZodError) =>
  e.issues.map((i) => ({
    field: flowField(i.path) || undefined,
    message: i.code === "invalid_union" ? "unknown node type or a field that does not fit it" : i.message,
  }));
