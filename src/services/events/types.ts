import type { InternalEventType, NormalizedEvent } from "../../contracts/events";
import type { Tenant } from "../../lib/tenant";

/**
 * A source event read out of its raw payload, before it is tied to our rows. `normalize*` functions
 * produce it from the stored raw event; `resolve` finds the message and the contact and turns it into
 * a `NormalizedEvent`.
 */
export interface DraftEvent {
  type: InternalEventType;
  /** Provider name and its message id, to find our messages row by (provider, external_id). */
  provider?: string;
  externalId?: string;
  /** Our messages.id when the source carries it (tracking token, SES tag, Brevo X-Mailin-custom). */
  messageId?: string | null;
  contactId?: string | null;
  /** The recipient address: finds the contact when no message is known. */
  email?: string | null;
  /** Epoch ms. */
  occurredAt: number;
  /** The source already says a machine did it (Brevo proxy_open). */
  machine: boolean;
  /** The opener's or clicker's User-Agent, when the source reports it. */
  userAgent?: string;
  /** Whether "an open within seconds of delivery" may flag this open (sources with true timestamps). */
  timedOpen?: boolean;
  /** Permanent | Transient | Undetermined (bounces). */
  bounceType?: string;
  /** Addresses a bounce or complaint concerns (SES may name several); they are suppressed. */
  recipients?: string[];
  properties: Record<string, unknown>;
}

/** What applying an event changed; subscribers (DO forwarding, rules engine) receive it. */
export interface EventEffects {
  score_before: number | null;
  score_after: number | null;
  first_open: boolean;
  first_click: boolean;
}

/** The JSON kept in events.normalized once the event's effects are applied. */
export interface AppliedEvent {
  event: NormalizedEvent;
  effects: EventEffects;
}

/** Read a field of an unknown JSON object. */
export const field = (o: unknown, key: string): unknown =>
  o !== null && typeof o === "object" && !Array.isArray(o) ? (o as Record<string, unknown>)[key] : undefined;

export const asString = (v: unknown): string | undefined =>
  typeof v === "string" && v.length > 0 ? v : undefined;

/** Epoch ms of an ISO timestamp, or undefined. */
export function isoMs(v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

/** What a subscriber gets besides the event: where it runs and what applying the event changed. */
export interface EventSubscriberContext {
  env: Env;
  tenant: Tenant;
  effects: EventEffects;
}

/**
 * A consumer of normalized events, run by the EVENTS consumer after the event's D1 effects are
 * committed (so a subscriber reads the new score, statuses and counters). Delivery is at least
 * once: when a subscriber throws, the queue message is retried and every subscriber runs again for
 * that event, so each must be idempotent per `event.id`. Throw to retry; swallow what is final.
 */
export interface EventSubscriber {
  name: string;
  handle(event: NormalizedEvent, ctx: EventSubscriberContext): Promise<void>;
}
