/**
 * The one internal event type every source is normalized into (SES via SNS, Brevo, tracking
 * endpoints, POST /api/v1/email-events, POST /api/v1/events). The EVENTS consumer produces it;
 * the scenario engine (SequenceDO.onEvent), scoring and the rules engine consume it.
 */
export const EMAIL_EVENT_TYPES = [
  "sent",
  "delivered",
  "deferred",
  "opened",
  "clicked",
  "bounced",
  "complained",
  "unsubscribed",
  "replied",
  "auto_replied",
  "rejected",
  "failed",
] as const;
export const BEHAVIOUR_EVENT_TYPES = ["page_visit", "purchase", "form_submit", "custom"] as const;
/** The email events any provider can report through POST /api/v1/email-events. */
export const REPORTABLE_EMAIL_EVENT_TYPES = [
  "sent",
  "delivered",
  "opened",
  "clicked",
  "bounced",
  "complained",
  "unsubscribed",
  "replied",
] as const satisfies readonly (typeof EMAIL_EVENT_TYPES)[number][];
/** Changes to a contact that rules can trigger on (stored through EVENTS like any event). */
export const CONTACT_EVENT_TYPES = [
  "contact_created",
  "contact_updated",
  "segment_entered",
  "date_reached",
  "rfm_segment_changed",
] as const;

export type EmailEventType = (typeof EMAIL_EVENT_TYPES)[number];
export type BehaviourEventType = (typeof BEHAVIOUR_EVENT_TYPES)[number];
export type ContactEventType = (typeof CONTACT_EVENT_TYPES)[number];
export type InternalEventType = EmailEventType | BehaviourEventType | ContactEventType;

export interface NormalizedEvent {
  /** events.id of the stored raw event. */
  id: string;
  organization_id: string;
  type: InternalEventType;
  contact_id: string | null;
  /** messages.id (ours, not the provider's) when the event concerns an email. */
  message_id: string | null;
  scenario_id: string | null;
  step_order: number | null;
  /** Epoch ms. */
  occurred_at: number;
  /** Apple MPP / image proxy / scanner opens and clicks: counted apart, never trigger steps or score. */
  machine: boolean;
  /** "Permanent" | "Transient" | "Undetermined" for bounces. */
  bounce_type?: string;
  /** The clicked URL, purchase amount, page, etc. */
  properties: Record<string, unknown>;
  /** Rules engine loop guard: events caused by rule actions carry depth + 1. */
  depth?: number;
}

/** A custom event's name: its `name` (or `event`) property. */
export const customName = (properties: Record<string, unknown>) =>
  typeof properties.name === "string"
    ? properties.name
    : typeof properties.event === "string"
      ? properties.event
      : null;
