import type { events } from "../../../db/schema";
import {
  BEHAVIOUR_EVENT_TYPES,
  type BehaviourEventType,
  CONTACT_EVENT_TYPES,
  type REPORTABLE_EMAIL_EVENT_TYPES,
  type ContactEventType,
  type InternalEventType,
} from "../../../contracts/events";
import { parseJson } from "../../../lib/json";
import { normalizeBrevo } from "./brevo";
import { normalizeSes } from "./ses";
import { asString, type DraftEvent } from "../types";

/** events.source values and the raw JSON each source stores (the intake code writes these shapes). */
export const SOURCES = {
  ses: "ses",
  brevo: "brevo",
  tracking: "tracking",
  behaviour: "api",
  emailEvents: "email-events",
  contact: "contact",
  inbound: "inbound",
} as const;

/** The email() handler stores this for a reply, an automatic reply or a delivery status notification. */
export interface InboundRaw {
  kind: "reply" | "auto_reply" | "bounce";
  from: string;
  subject: string;
  /** The reply's own text, quoted history stripped (at most 20,000 characters). */
  text: string;
  /** The Message-ID of the inbound mail. */
  inbound_message_id?: string | null;
  /** Delivery status notifications: the status code (5.1.1) and what it means for the address. */
  status?: string | null;
  bounce_type?: "Permanent" | "Transient";
  /** A report's format (an RFC 3464 report, or a plain-text notice) and the addresses it names. */
  format?: "dsn" | "text";
  recipients?: (string | null)[];
  /** How the message was matched: its reply address, or In-Reply-To / References. */
  matched_by: "token" | "headers";
  /** The message as received: an encrypted R2 reference (services/sending/archive.ts). */
  archived?: string | null;
}

/** Contact lifecycle events (imports, segment entries, the daily date job) store this. */
export interface ContactEventRaw {
  type: ContactEventType;
  properties: Record<string, unknown>;
}

/** /t/o, /t/c and POST /u store this. */
export interface TrackingRaw {
  kind: "open" | "click" | "unsubscribe";
  user_agent?: string | null;
  url?: string;
}

/** POST /api/v1/events stores this. */
export interface BehaviourRaw {
  type: BehaviourEventType;
  properties: Record<string, unknown>;
}

/** POST /api/v1/email-events stores this (the message row is upserted at intake). */
export interface EmailEventRaw {
  provider: string;
  external_id: string;
  event: (typeof REPORTABLE_EMAIL_EVENT_TYPES)[number];
  bounce_type?: string;
  url?: string;
  user_agent?: string;
  machine?: boolean;
  /** A reply's text (event replied). */
  text?: string;
}

type EventRow = typeof events.$inferSelect;

const TRACKING_TYPES: Record<TrackingRaw["kind"], InternalEventType> = {
  open: "opened",
  click: "clicked",
  unsubscribe: "unsubscribed",
};

/**
 * Turn a stored raw event into a draft, per source. Null means "nothing to apply": the raw row stays
 * as the record (an SNS test message, a Brevo event name we do not act on).
 */
export function normalizeRow(row: EventRow): DraftEvent | null {
  const base = {
    messageId: row.messageId,
    contactId: row.contactId,
    occurredAt: row.occurredAt,
    machine: false,
  };
  switch (row.source) {
    case SOURCES.ses:
      return normalizeSes(row.raw, row.createdAt);
    case SOURCES.brevo:
      return normalizeBrevo(parseJson<unknown>(row.raw, null), row.createdAt);
    case SOURCES.tracking: {
      const raw = parseJson<Partial<TrackingRaw>>(row.raw, {});
      const type = raw.kind ? TRACKING_TYPES[raw.kind] : undefined;
      if (!type) return null;
      return {
        ...base,
        type,
        userAgent: asString(raw.user_agent),
        timedOpen: true,
        properties: raw.url ? { url: raw.url } : {},
      };
    }
    case SOURCES.behaviour: {
      const raw = parseJson<Partial<BehaviourRaw>>(row.raw, {});
      if (!raw.type || !BEHAVIOUR_EVENT_TYPES.includes(raw.type)) return null;
      return { ...base, type: raw.type, properties: raw.properties ?? {} };
    }
    case SOURCES.contact: {
      const raw = parseJson<Partial<ContactEventRaw>>(row.raw, {});
      if (!raw.type || !CONTACT_EVENT_TYPES.includes(raw.type)) return null;
      return { ...base, type: raw.type, properties: raw.properties ?? {} };
    }
    case SOURCES.emailEvents: {
      const raw = parseJson<Partial<EmailEventRaw>>(row.raw, {});
      if (!raw.event) return null;
      const bounceType = raw.event === "bounced" ? (raw.bounce_type ?? "Permanent") : undefined;
      return {
        ...base,
        type: raw.event,
        provider: raw.provider,
        externalId: raw.external_id,
        machine: raw.machine === true,
        userAgent: asString(raw.user_agent),
        bounceType,
        properties: { ...(raw.url ? { url: raw.url } : {}), ...(raw.text ? { text: raw.text } : {}) },
      };
    }
    case SOURCES.inbound: {
      const raw = parseJson<Partial<InboundRaw>>(row.raw, {});
      const type =
        raw.kind === "reply"
          ? "replied"
          : raw.kind === "auto_reply"
            ? "auto_replied"
            : raw.kind === "bounce"
              ? "bounced"
              : null;
      if (!type) return null;
      return {
        ...base,
        type,
        bounceType: type === "bounced" ? (raw.bounce_type ?? "Permanent") : undefined,
        properties: {
          from: raw.from,
          subject: raw.subject,
          text: raw.text,
          ...(raw.status ? { status: raw.status } : {}),
        },
      };
    }
    default:
      return null;
  }
}
