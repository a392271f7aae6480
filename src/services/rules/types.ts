import type { RuleActionMessage } from "../../contracts/queue-messages";
import type { Tenant } from "../../lib/tenant";
import type { RuleTrigger } from "./definitions";

/**
 * What the rules engine evaluates: a normalized event (an email or behaviour event from the EVENTS
 * consumer) mapped to a trigger name, or an event a rule action caused (tag_added, lead_score_high).
 */
export interface RuleEvent {
  /** events.id, or a derived id for an event caused by an action (stable across redeliveries). */
  id: string;
  trigger: RuleTrigger;
  contact_id: string;
  /** Epoch ms. */
  occurred_at: number;
  /** Purchase amount, page, clicked url; {tag} for tag_added; {score_before, score_after} for lead_score_high. */
  properties: Record<string, unknown>;
  /** 0 for outside events; an event caused by a rule action carries its cause's depth + 1. */
  depth: number;
  message_id?: string | null;
  scenario_id?: string | null;
}

/** How deep a chain of rule-caused events may go; beyond it, caused events are recorded and not evaluated. */
export const MAX_RULE_DEPTH = 3;

/** A scheduled action on the ACTIONS queue (or, beyond the queue's 12-hour delay limit, in RuleTimerDO). */
/** One delayed or retried action (the ACTIONS queue body). */
export type ScheduledAction = RuleActionMessage;

/** Where delayed and retried actions go. Production: the ACTIONS queue and RuleTimerDO; tests: recorders. */
export interface ActionScheduler {
  schedule(message: ScheduledAction, delaySeconds: number): Promise<void>;
}

/** What the engine needs besides the tenant; built from the Worker env by `ruleDeps`. */
export interface RuleDeps {
  tenant: Tenant;
  /** SEND queue (send_email goes through the ledger). */
  sendQueue: Queue;
  /** ENROLL queue (enroll_in_scenario). */
  enrollQueue: Queue;
  scheduler: ActionScheduler;
  /** SequenceDO namespace (pause_sequences tells each stopped sequence). */
  sequences: Env["SEQUENCE"] | null;
  encryptionKey: string;
  publicBaseUrl: string;
  /** The platform's own sender (config.ts systemSender); derived from publicBaseUrl when absent. */
  systemFromEmail?: string;
  brevoApiBase: string;
  /** Outbound fetch for webhooks and SMS (tests inject one; the global fetch by default). */
  fetch?: typeof fetch;
  /**
   * Hears each event an action caused and each contact_created (src/wiring.ts: the journeys entered by
   * tag_added, score_reached and contact_created).
   */
  onCaused?: (event: RuleEvent) => Promise<void>;
}

export const ACTION_STATUSES = ["pending", "running", "scheduled", "executed", "skipped", "failed"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** An event an executed action causes (tag_added, lead_score_high), before it gets an id and depth. */
export interface CausedSpec {
  trigger: RuleTrigger;
  properties: Record<string, unknown>;
}

/** One action's record inside rule_runs.actions. */
export interface RunActionRecord {
  index: number;
  type: string;
  status: ActionStatus;
  reason?: string | null;
  /** Epoch ms the action is (was) due. */
  due_at?: number | null;
  /** Epoch ms the action reached its final status. */
  at?: number | null;
  /** Epoch ms until which a consumer holds the action (a crashed holder's claim expires). */
  claimed_until?: number | null;
  attempts?: number;
  /** What the action caused, kept so a redelivered event can evaluate it again if it was interrupted. */
  caused?: CausedSpec[];
}

/** The outcome of executing one action. `retry` only happens on the queue (webhook, SMS, transient errors). */
export type ActionOutcome =
  | {
      status: "executed";
      detail?: string;
      caused?: CausedSpec[];
    }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string }
  | { status: "retry"; reason: string; retryAfterSeconds?: number };
