import { z } from "@hono/zod-openapi";
import { INTERACTION_STATUSES, INTERACTION_TYPES } from "../../services/inbox/view";

/** ISO-8601 instant with a zone ("Z" or an offset); the API stores and answers UTC. */
export const instantField = z.iso
  .datetime({ offset: true })
  .refine((s) => {
    const y = new Date(s).getUTCFullYear();
    return y >= 1970 && y <= 9999;
  }, "must be between 1970 and 9999")
  .openapi({ example: "2026-05-04T09:30:00Z" });

const refField = z.string().min(1).max(100);

export const Interaction = z
  .object({
    id: z.string(),
    type: z.enum(INTERACTION_TYPES),
    title: z.string(),
    body: z.string().nullable(),
    contact_id: z.string().nullable(),
    status: z.enum(INTERACTION_STATUSES),
    assignee_id: z.string().nullable(),
    next_action_at: z.string().nullable(),
    notified_at: z.string().nullable(),
    message_id: z.string().nullable(),
    scenario_id: z.string().nullable(),
    rule_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z
      .string()
      .openapi({ description: "The version: send it back (or the ETag in If-Match) to refuse stale writes" }),
  })
  .openapi("Interaction");

export const InteractionCreate = z
  .object({
    type: z.enum(INTERACTION_TYPES),
    title: z.string().trim().min(1).max(500),
    body: z.string().max(20_000).nullable().optional(),
    contact_id: refField.nullable().optional(),
    status: z.enum(INTERACTION_STATUSES).optional(),
    assignee_id: refField
      .nullable()
      .optional()
      .openapi({ description: 'A team member id, or "me" (the key\'s user)' }),
    next_action_at: instantField.nullable().optional(),
    message_id: refField.nullable().optional(),
    scenario_id: refField.nullable().optional(),
    rule_id: refField.nullable().optional(),
  })
  .openapi("InteractionCreate");

/** Optional optimistic-concurrency token in PATCH bodies (the If-Match header does the same). */
const versionField = {
  updated_at: z
    .string()
    .max(40)
    .optional()
    .openapi({ description: "The updated_at you last read; a stale one answers 409 STALE_WRITE" }),
};

export const StatusPatch = z
  .object({ status: z.enum(INTERACTION_STATUSES), ...versionField })
  .openapi("InteractionStatusPatch");
export const AssigneePatch = z
  .object({
    assignee_id: refField.nullable().openapi({ description: 'A team member id, "me", or null' }),
    ...versionField,
  })
  .openapi("InteractionAssigneePatch");
export const NextActionPatch = z
  .object({ next_action_at: instantField.nullable(), ...versionField })
  .openapi("InteractionNextActionPatch");

export const IfMatchHeader = z.object({
  "if-match": z
    .string()
    .max(1000)
    .optional()
    // Header names are case-insensitive; the key is lower-case because Hono validates lower-cased headers.
    .openapi({
      description: "If-Match: the ETag (or updated_at) of the version you read; a stale one answers 409",
    }),
});

const ids = z.array(z.string().min(1).max(100)).min(1).max(200);

export const BulkRequest = z
  .discriminatedUnion("action", [
    z.object({ action: z.literal("mark_done"), ids }),
    z.object({ action: z.literal("set_status"), ids, status: z.enum(INTERACTION_STATUSES) }),
    z.object({ action: z.literal("reassign"), ids, assignee_id: refField.nullable() }),
  ])
  .openapi("InteractionBulkRequest");

export const BulkResult = z
  .object({ updated: z.array(z.string()), not_found: z.array(z.string()) })
  .openapi("InteractionBulkResult");
