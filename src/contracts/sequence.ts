import type { BehaviourEventType } from "./events";
/**
 * The RPC surface of SequenceDO, shared by its callers (ENROLL consumer, SEND consumer, EVENTS
 * consumer, rules engine) so they build against the contract, not the class.
 */
export interface EnrollInput {
  organization_id: string;
  scenario_id: string;
  contact_id: string;
  /** contact_sequences.id */
  sequence_id: string;
  steps_version: number;
}

/** A run of a flow journey to start (SequenceDO.startRun): what started it, and its dedup value. */
export interface StartRunInput extends EnrollInput {
  /** "entry" (segment), "event", "date", "manual" (POST /enroll), "action" (enroll_in_scenario). */
  cause: string;
  /** The entry event's dedup_key value (an order id): one run per value. */
  dedup?: string | null;
  /** "HH:MM": the run holds at its start until then, in the contact's timezone (a date entry's `at`). */
  at_time?: string | null;
}

/** What the SEND consumer reports back once a ledger row is final. */
export interface SendOutcome {
  ledger_id: string;
  step_order: number;
  status: "executed" | "failed" | "skipped";
  reason?: string;
  message_id?: string;
  /** Epoch ms when the provider accepted the message. */
  at: number;
}

/** The subset of a normalized event a sequence reacts to. */
/** The events a sequence hears (the EVENTS consumer forwards these, the simulation takes them). */
export const SEQUENCE_EVENT_TYPES = [
  "opened",
  "clicked",
  "bounced",
  "complained",
  "unsubscribed",
  "replied",
] as const;
export type SequenceEventType = (typeof SEQUENCE_EVENT_TYPES)[number];
export const isSequenceEventType = (t: string): t is SequenceEventType =>
  (SEQUENCE_EVENT_TYPES as readonly string[]).includes(t);

export interface SequenceEvent {
  event_id: string;
  /** An email event, or (for a flow journey that waits for one) a behaviour event. */
  type: SequenceEventType | BehaviourEventType;
  /** A custom event's name; the event's properties (a flow's goal may name some). */
  name?: string | null;
  properties?: Record<string, unknown>;
  step_order: number | null;
  machine: boolean;
  occurred_at: number;
}

export const sequenceName = (scenarioId: string, contactId: string) => `${scenarioId}:${contactId}`;
