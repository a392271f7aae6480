import type { operationLedger } from "../../db/schema";

/** One operation_ledger row: a send to make once (services/ledger/ is the only writer of the table). */
export type LedgerRow = typeof operationLedger.$inferSelect;

/** How long a SEND consumer's claim holds before the recovery job may consider the row stuck. */
export const CLAIM_LEASE_MS = 10 * 60_000;

/** messages.id of a ledger row's message: stable across retries, so tokens and provider tags are too. */
export const messageIdFor = (ledgerId: string) => `msg_${ledgerId.replace(/^op_/, "")}`;

/**
 * What a send needs beyond the ledger columns. Scenario sends take everything from the scenario;
 * other producers (rules, reminders) say it here.
 */
export interface SendPayload {
  /** Send to this address instead of the contact's (a reminder to a team member). */
  to_email?: string;
  from_email?: string;
  from_name?: string;
  reply_to?: string;
  provider?: "log" | "ses" | "brevo";
  /** Literal content when there is no template. Rendered with Liquid like a template. */
  subject?: string;
  html?: string;
  text?: string;
  /** Transactional mail (a reminder, POST /send) skips consent and the frequency cap, carries no unsubscribe headers. */
  transactional?: boolean;
  /** A double opt-in confirmation: it may go to an address suppressed as unsubscribed (the opt-in lifts it). */
  opt_in_confirmation?: boolean;
  /** Extra Liquid variables for the content ({{ confirm_url }} of a double opt-in email, POST /send `data`). */
  variables?: Record<string, unknown>;
  /** The sender's tags (POST /send), handed to the provider. */
  tags?: string[];
  /** Who asked for it, for the record: {"rule_id": ...}, {"interaction_id": ...}. */
  source?: Record<string, string>;
}

export interface SendOperationInput {
  /** Parts hashed into the idempotency key, e.g. [org, scenario, step, contact, scope]. */
  keyParts: (string | number | null)[];
  contactId: string | null;
  templateId?: string | null;
  scenarioId?: string | null;
  stepOrder?: number | null;
  variantName?: string | null;
  payload?: SendPayload;
}
