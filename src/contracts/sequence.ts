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
  type: SequenceEventType;
  step_order: number | null;
  machine: boolean;
  occurred_at: number;
}

export const sequenceName = (scenarioId: string, contactId: string) => `${scenarioId}:${contactId}`;
