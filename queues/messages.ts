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

/** EVENTS: one stored raw event (events table) to normalize and apply. */
export const EventMessage = z.object({
  event_id: z.string().min(1),
  organization_id: z.string().min(1),
});
export type EventMessage = z.infer<typeof EventMessage>;

/** ENROLL: enroll the next page of a scenario's eligible contacts after `after_contact_id`. */
export const EnrollMessage = z.object({
  scenario_id: z.string().min(1),
  organization_id: z.string().min(1),
  after_contact_id: z.string().nullable().default(null),
  /** Enroll only these contacts (a contact created while the scenario is active). */
  contact_ids: z.array(z.string()).optional(),
});
export type EnrollMessage = z.infer<typeof EnrollMessage>;
