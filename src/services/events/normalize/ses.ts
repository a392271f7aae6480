import type { InternalEventType } from "../../../contracts/events";
import { asString, type DraftEvent, field, isoMs } from "../types";

/**
 * SES event publishing (`eventType`) and the older notification format (`notificationType`), as they
 * arrive JSON-stringified in the SNS `Message`. Each type's own object carries the event's timestamp.
 */
const SES_TYPES: Record<string, { type: InternalEventType; detail: string }> = {
  Send: { type: "sent", detail: "send" },
  Delivery: { type: "delivered", detail: "delivery" },
  Open: { type: "opened", detail: "open" },
  Click: { type: "clicked", detail: "click" },
  Bounce: { type: "bounced", detail: "bounce" },
  Complaint: { type: "complained", detail: "complaint" },
  Reject: { type: "rejected", detail: "reject" },
  DeliveryDelay: { type: "deferred", detail: "deliveryDelay" },
  Subscription: { type: "unsubscribed", detail: "subscription" },
  "Rendering Failure": { type: "failed", detail: "failure" },
};

function parseMessage(message: string): Record<string, unknown> | null {
  try {
    const json: unknown = JSON.parse(message);
    return json !== null && typeof json === "object" && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * The one reader of an SNS `Message` from SES, for ingest (the stored row's type and time) and for
 * normalization (the draft): its JSON, its SES type name, what that type means here, and its time.
 */
function readSesMessage(message: string) {
  const m = parseMessage(message);
  const name = m ? (asString(m.eventType) ?? asString(m.notificationType)) : undefined;
  const known = name ? SES_TYPES[name] : undefined;
  const at = m
    ? (isoMs(field(m[known?.detail ?? ""], "timestamp")) ?? isoMs(field(m.mail, "timestamp")))
    : undefined;
  return { m, name, known, at };
}

/** The SES type name and time of an SNS Message, for the stored row (`unknown` when it is not an SES event). */
export function sesEventMeta(message: string, fallback: number): { type: string; occurredAt: number } {
  const { name, at } = readSesMessage(message);
  const orNow = Number.isFinite(fallback) ? fallback : Date.now();
  return name ? { type: name, occurredAt: at ?? orNow } : { type: "unknown", occurredAt: orNow };
}

const addresses = (list: unknown): string[] =>
  Array.isArray(list)
    ? list.map((r) => asString(field(r, "emailAddress"))).filter((a): a is string => !!a)
    : [];

/** Our messages.id from the `message_id` EmailTag the SES provider sets (`mail.tags`). */
function taggedMessageId(mail: unknown): string | undefined {
  const tag = field(field(mail, "tags"), "message_id");
  return Array.isArray(tag) ? asString(tag[0]) : undefined;
}

/**
 * The stored raw SES event (the verified SNS envelope) as a draft; null for anything that is not an
 * SES event we act on (a test "Hello world", an opt-in Subscription, an unknown type).
 */
export function normalizeSes(raw: string, storedAt: number): DraftEvent | null {
  const envelope = parseMessage(raw);
  const { m, known, at } = readSesMessage(asString(envelope?.Message) ?? "");
  if (!m || !known) return null;
  const detail = m[known.detail];
  const mail = m.mail;
  const destination = field(mail, "destination");
  const draft: DraftEvent = {
    type: known.type,
    provider: "ses",
    externalId: asString(field(mail, "messageId")),
    messageId: taggedMessageId(mail) ?? null,
    email: Array.isArray(destination) && destination.length === 1 ? asString(destination[0]) : null,
    occurredAt: at ?? isoMs(envelope?.Timestamp) ?? storedAt,
    machine: false,
    timedOpen: true,
    userAgent: asString(field(detail, "userAgent")),
    properties: {},
  };
  switch (known.type) {
    case "clicked":
      draft.properties = { url: asString(field(detail, "link")) ?? null };
      break;
    case "bounced":
      draft.bounceType = asString(field(detail, "bounceType")) ?? "Undetermined";
      draft.recipients = addresses(field(detail, "bouncedRecipients"));
      draft.properties = { bounce_sub_type: asString(field(detail, "bounceSubType")) ?? null };
      break;
    case "complained":
      draft.recipients = addresses(field(detail, "complainedRecipients"));
      draft.properties = { feedback_type: asString(field(detail, "complaintFeedbackType")) ?? null };
      break;
    case "rejected":
      draft.properties = { reason: asString(field(detail, "reason")) ?? null };
      break;
    case "failed":
      draft.properties = { reason: asString(field(detail, "errorMessage")) ?? null };
      break;
    case "unsubscribed": {
      // A Subscription event is also sent for opt-ins and topic changes: only "unsubscribe from all" counts.
      if (field(field(detail, "newTopicPreferences"), "unsubscribeAll") !== true) return null;
      draft.properties = { via: asString(field(detail, "source")) ?? null };
      break;
    }
  }
  return draft;
}
