import { z } from "zod";
import type { ScheduledAction } from "../services/rules/types";

/**
 * Queue message bodies. Every consumer validates each body with these schemas; producers build
 * bodies through the same types. Bodies carry ids, never data that D1 already holds.
 */

/** SEND: one operation_ledger row to execute (claim, render, call the provider, record). */
export const SendMessage = z.object({
  ledger_id: z.string().min(1),
  organization_id: z.string().min(1),
});
export type SendMessage = z.infer<typeof SendMessage>;

/**
 * EVENTS: stored raw events (events table) to normalize and apply: one (`event_id`) or the events
 * of one webhook delivery, in order (`event_ids`, at most 100), so a batched delivery costs one
 * queue message.
 */
export const EventMessage = z
  .object({
    event_id: z.string().min(1).optional(),
    event_ids: z.array(z.string().min(1)).min(1).max(100).optional(),
    organization_id: z.string().min(1),
  })
  .refine((b) => (b.event_id === undefined) !== (b.event_ids === undefined), "event_id or event_ids");
export type EventMessage = z.infer<typeof EventMessage>;

/** The events a message names, in order. */
export const eventIdsOf = (b: EventMessage): string[] => b.event_ids ?? (b.event_id ? [b.event_id] : []);

/** One event of an EVENTS message. */
export interface EventRef {
  event_id: string;
  organization_id: string;
}

/** ENROLL: enroll the next page of a scenario's eligible contacts after `after_contact_id`. */
export const EnrollMessage = z.object({
  scenario_id: z.string().min(1),
  organization_id: z.string().min(1),
  after_contact_id: z.string().nullable().default(null),
  /** Enroll only these contacts (a contact created while the scenario is active). */
  contact_ids: z.array(z.string()).optional(),
});
export type EnrollMessage = z.infer<typeof EnrollMessage>;

/** ACTIONS: one rule action due at `due_at` (a delayed action, a webhook, an SMS). */
export const RuleActionMessage = z.object({
  organization_id: z.string().min(1),
  run_id: z.string().min(1),
  action_index: z.number().int().min(0).max(100),
  due_at: z.number().int(),
}) satisfies z.ZodType<ScheduledAction>;
