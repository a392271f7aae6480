import type { InternalEventType } from "../../../contracts/events";
import { normalizeBrevoMessageId } from "../../../providers/brevo";
import { asString, type DraftEvent, field } from "../types";

/**
 * Brevo webhook events (transactional names; marketing `hard_bounced`/`soft_bounced` and the older
 * `complaint`/`unsubscribe` spellings too). Proxy opens are opens a machine made.
 */
const BREVO_TYPES: Record<string, { type: InternalEventType; machine?: boolean; bounceType?: string }> = {
  request: { type: "sent" },
  sent: { type: "sent" },
  delivered: { type: "delivered" },
  deferred: { type: "deferred" },
  soft_bounce: { type: "bounced", bounceType: "Transient" },
  soft_bounced: { type: "bounced", bounceType: "Transient" },
  hard_bounce: { type: "bounced", bounceType: "Permanent" },
  hard_bounced: { type: "bounced", bounceType: "Permanent" },
  invalid_email: { type: "bounced", bounceType: "Permanent" },
  blocked: { type: "rejected" },
  error: { type: "failed" },
  spam: { type: "complained" },
  complaint: { type: "complained" },
  opened: { type: "opened" },
  unique_opened: { type: "opened" },
  proxy_open: { type: "opened", machine: true },
  unique_proxy_open: { type: "opened", machine: true },
  click: { type: "clicked" },
  unsubscribed: { type: "unsubscribed" },
  unsubscribe: { type: "unsubscribed" },
};

/** Brevo epochs: `ts_epoch` is ms in live payloads, but some documented samples give seconds. */
const toMs = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? (v < 1e12 ? v * 1000 : v) : undefined;

/** When the event happened: ts_epoch, else the documented s_epoch, else ts_event / ts (seconds). */
export function brevoOccurredAt(item: unknown): number | undefined {
  return (
    toMs(field(item, "ts_epoch")) ??
    toMs(field(item, "s_epoch")) ??
    toMs(field(item, "ts_event")) ??
    toMs(field(item, "ts"))
  );
}

/** Brevo's message id without the angle brackets (as the Brevo provider stores external_id). */
export function brevoMessageId(item: unknown): string | undefined {
  const id = asString(field(item, "message-id"));
  return id ? normalizeBrevoMessageId(id) : undefined;
}

/**
 * Brevo sends no event id: the same delivery is (message-id, event, ts_epoch). Events without a
 * message id fall back to the address; without a time, to a hash of the body the caller supplies.
 */
export function brevoDedupKey(item: unknown, bodyHash: string): string {
  // Bounded: a key is an index entry, and real message ids are far shorter.
  const who = (brevoMessageId(item) ?? asString(field(item, "email")) ?? "-").slice(0, 300);
  const at = brevoOccurredAt(item);
  return `brevo:${who}:${asString(field(item, "event")) ?? "-"}:${at ?? `h${bodyHash}`}`;
}

/** Our messages.id: the Brevo provider sends it as X-Mailin-custom and as a `msg:<id>` tag. */
function ourMessageId(item: unknown): string | undefined {
  const custom = asString(field(item, "X-Mailin-custom"));
  if (custom && /^[A-Za-z0-9_-]{1,100}$/.test(custom)) return custom;
  const tags = field(item, "tags");
  const tag = Array.isArray(tags)
    ? tags.find((t): t is string => typeof t === "string" && t.startsWith("msg:"))
    : undefined;
  return tag ? tag.slice(4) : undefined;
}

/** One stored Brevo event as a draft; null for an event name we do not act on. */
export function normalizeBrevo(item: unknown, storedAt: number): DraftEvent | null {
  const name = asString(field(item, "event"));
  const known = name ? BREVO_TYPES[name] : undefined;
  if (!known) return null;
  const email = asString(field(item, "email")) ?? null;
  const draft: DraftEvent = {
    type: known.type,
    provider: "brevo",
    externalId: brevoMessageId(item),
    messageId: ourMessageId(item) ?? null,
    email,
    occurredAt: brevoOccurredAt(item) ?? storedAt,
    // Brevo classifies proxies itself (proxy_open): its "opened" is trusted, no timing heuristic.
    machine: known.machine ?? false,
    timedOpen: false,
    bounceType: known.bounceType,
    recipients: known.type === "bounced" || known.type === "complained" ? (email ? [email] : []) : undefined,
    properties: {},
  };
  if (known.type === "clicked") draft.properties = { url: asString(field(item, "link")) ?? null };
  const reason = asString(field(item, "reason"));
  if (reason) draft.properties = { ...draft.properties, reason };
  return draft;
}
