import { z } from "@hono/zod-openapi";
import { FlowInput } from "../../contracts/flow";
import { paginationQuery } from "../../lib/pagination";
import { RUN_STATUSES } from "../../services/scenarios/flow/run-list";
import { MAX_ENROLL } from "../../services/scenarios/flow/runs";

export const FlowPut = FlowInput.openapi("Flow", {
  description:
    "A journey: entry, re-entry, goal, exit_on, the start node and the nodes (API.md, Journeys). Node ids are yours.",
});

const NodeStats = z
  .object({
    entered: z.number(),
    waiting: z.number(),
    completed: z.number(),
    yes: z.number().optional(),
    no: z.number().optional(),
    by_path: z.record(z.string(), z.number()).optional(),
    sent: z.number().optional(),
    opened: z.number().optional(),
    clicked: z.number().optional(),
    orders: z
      .number()
      .optional()
      .openapi({ description: "Email nodes: orders attributed to their messages" }),
    revenue: z.number().optional(),
  })
  .openapi("FlowNodeStats");

export const FlowView = FlowInput.extend({
  version: z.number().int(),
  source: z.enum(["steps", "flow"]).openapi({ description: "Which API wrote this version" }),
  status: z.string(),
  stats: z.object({
    runs: z.number(),
    active: z.number(),
    converted: z.number(),
    conversion_rate: z.number(),
    orders: z.number(),
    revenue: z.number(),
    nodes: z.record(z.string(), NodeStats),
  }),
}).openapi("FlowView");

export const EnrollRequest = z
  .object({
    contact_ids: z.array(z.string().min(1).max(100)).max(MAX_ENROLL).optional(),
    emails: z.array(z.string().min(3).max(320)).max(MAX_ENROLL).optional(),
  })
  .strict()
  .refine((b) => (b.contact_ids?.length ?? 0) + (b.emails?.length ?? 0) > 0, {
    message: "give contact_ids or emails",
    path: ["contact_ids"],
  })
  .refine((b) => (b.contact_ids?.length ?? 0) + (b.emails?.length ?? 0) <= MAX_ENROLL, {
    message: `at most ${MAX_ENROLL} contacts per call`,
    path: ["contact_ids"],
  })
  .openapi("EnrollRequest");

export const EnrollResult = z
  .object({
    enrolled: z.number(),
    skipped: z.array(
      z.object({
        contact_id: z.string().nullable(),
        email: z.string().optional(),
        reason: z.string().openapi({
          description:
            "not_found, unsubscribed (or the contact's status), INSUFFICIENT_CONSENT, suppressed, not_eligible, active_run, already_ran, reentry_too_soon, duplicate_key",
        }),
      }),
    ),
  })
  .openapi("EnrollResult");

export const Run = z
  .object({
    id: z.string().openapi({ description: "<contact id>.<run number>" }),
    contact_id: z.string(),
    run_no: z.number(),
    status: z.enum(RUN_STATUSES),
    node_id: z.string().nullable(),
    started_at: z.string(),
    ended_at: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .openapi("JourneyRun");

export const RunDetail = Run.extend({
  history: z.array(
    z.object({
      node_id: z.string(),
      type: z.string().nullable(),
      at: z.string().nullable(),
      outcome: z.string(),
    }),
  ),
  waiting: z.array(z.object({ node_id: z.string(), until: z.string().nullable() })),
}).openapi("JourneyRunDetail");

export const RunListQuery = z.object({
  ...paginationQuery,
  contact_id: z.string().min(1).max(100).optional(),
  status: z.enum(RUN_STATUSES).optional(),
});

export const RunParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
  run_id: z
    .string()
    .min(1)
    .max(120)
    .openapi({ param: { name: "run_id", in: "path" } }),
});
