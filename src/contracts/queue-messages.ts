import { z } from "zod";

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
 * EVENTS: stored raw events (events table) to normalize and apply: one (`event_id`) or up to 10
 * events of one webhook delivery, in order (`event_ids`; ingest/store.ts EVENTS_PER_MESSAGE; the
 * schema takes 100, as messages queued before the change did), so a batched delivery costs a
 * tenth of its events in queue messages.
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
  /** A scan's continuation: when the scan started (epoch ms) and the contacts it planned before. */
  paced_from: z.number().optional(),
  paced_before: z.number().int().min(0).optional(),
});
export type EnrollMessage = z.infer<typeof EnrollMessage>;

/** ENROLL, activation: create these contacts' SequenceDOs once their first step is near. */
export const ActivateMessage = z.object({
  kind: z.literal("activate"),
  scenario_id: z.string().min(1),
  organization_id: z.string().min(1),
  contact_ids: z.array(z.string().min(1)).min(1).max(100),
  /** The earliest first run among them (epoch ms). */
  due_at: z.number(),
  /** From an enrollment scan: holds back while the SEND queue is behind (`holds` so far). */
  paced: z.boolean().optional(),
  holds: z.number().int().min(0).optional(),
});
export type ActivateMessage = z.infer<typeof ActivateMessage>;

/**
 * ENROLL also carries sweeps: resume wakes every active sequence, stop ends them, reflow moves the
 * running journeys on to a new version of their flow (`version`).
 */
export const SweepMessage = z.object({
  kind: z.literal("sweep"),
  action: z.enum(["wake", "stop", "reflow"]),
  version: z.number().int().optional(),
  scenario_id: z.string().min(1),
  organization_id: z.string().min(1),
  after_contact_id: z.string().nullable().default(null),
});
export type SweepMessage = z.infer<typeof SweepMessage>;

/** ENROLL, campaigns: resolve the next pages of a campaign's audience. */
export const CampaignPageMessage = z.object({
  kind: z.literal("campaign"),
  campaign_id: z.string().min(1),
  organization_id: z.string().min(1),
  after_contact_id: z.string().nullable().default(null),
});
export type CampaignPageMessage = z.infer<typeof CampaignPageMessage>;

/** After a resume: recipients whose send a pause withdrew go back to SEND. */
export const CampaignResumeMessage = z.object({
  kind: z.literal("campaign_resume"),
  campaign_id: z.string().min(1),
  organization_id: z.string().min(1),
  after_contact_id: z.string().nullable().default(null),
});
export type CampaignResumeMessage = z.infer<typeof CampaignResumeMessage>;

/** ENROLL, RFM: one phase of an organization's RFM recompute job. */
export const RfmJobMessage = z.object({
  kind: z.literal("rfm"),
  organization_id: z.string().min(1),
  job_id: z.string().min(1),
  phase: z.enum(["pairs", "rfm", "fit"]),
  after: z.string().nullable().default(null),
});
export type RfmJobMessage = z.infer<typeof RfmJobMessage>;

/** Every body the ENROLL queue carries (one consumer, queues/enroll.ts). */
export const EnrollQueueBody = z.union([
  SweepMessage,
  ActivateMessage,
  CampaignPageMessage,
  CampaignResumeMessage,
  RfmJobMessage,
  EnrollMessage,
]);

/** ACTIONS: one rule action due at `due_at` (a delayed action, a webhook, an SMS). */
export const RuleActionMessage = z.object({
  organization_id: z.string().min(1),
  run_id: z.string().min(1),
  action_index: z.number().int().min(0).max(100),
  /** Epoch ms when the action is due. */
  due_at: z.number().int(),
});
export type RuleActionMessage = z.infer<typeof RuleActionMessage>;
