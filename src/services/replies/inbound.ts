/**
 * The Worker's email() handler (Cloudflare Email Routing): a reply to `reply+<token>@<inbound
 * domain>` is matched to the message it answers (by the signed token, else by In-Reply-To /
 * References), stored as an inbound event before anything else (the EVENTS consumer applies it:
 * message status, sequence stop, inbox item, score, rules), then forwarded so no reply is lost.
 */
import { and, eq } from "drizzle-orm";
import { configOf } from "../../config";
import { campaigns, type messages, scenarios } from "../../db/schema";
import { d1Named, databaseNames, tenantFor } from "../../db/route";
import { now } from "../../lib/clock";
import { sha256Hex } from "../../lib/crypto";
import { archiveRaw } from "../sending/archive";
import { normalizeEmail } from "../../lib/validation";
import type { Tenant } from "../../lib/tenant";
import { storeEvent } from "../events/ingest/store";
import { getMessage } from "../messages/store";
import { type InboundRaw, SOURCES } from "../events/normalize/row";
import { type InboundMail, readInbound } from "./parse";
import { getReplySettings } from "./settings";
import { readReplyAddress } from "./token";
import { crossTenantSql } from "../../lib/tenant-sql";

/** Email Routing hands over at most 25 MiB; a reply is far smaller. */
const MAX_RAW = 25 * 1024 * 1024;
/** Larger messages are archived and recorded `unparsed` without being parsed: bounded work. */
const MAX_PARSED = 5 * 1024 * 1024;
const OUR_MESSAGE_ID = /^(msg_[0-9a-f]{28})@/;

interface Matched {
  tenant: Tenant;
  message: typeof messages.$inferSelect;
  by: "token" | "headers";
}

export type InboundOutcome =
  | {
      kind: "recorded";
      event: "replied" | "auto_replied" | "bounced" | "unparsed";
      eventId: string | null;
      forwardedTo: string | null;
    }
  | { kind: "unmatched"; forwardedTo: string | null }
  /** A report that the mail was delivered: nothing to record, nobody to forward it to. */
  | { kind: "ignored"; reason: string };

const messageIn = (tenant: Tenant, id: string) => getMessage(tenant, id).catch(() => null);

/** By the signed reply address the mail was sent to. */
async function byToken(env: Env, to: string): Promise<Matched | null> {
  const ids = await readReplyAddress(configOf(env).ENCRYPTION_KEY, to);
  if (!ids) return null;
  const tenant = await tenantFor(env, ids.organizationId).catch(() => null);
  const message = tenant && (await messageIn(tenant, ids.messageId));
  return tenant && message ? { tenant, message, by: "token" } : null;
}

/**
 * By the Message-IDs the mail refers to (ours are `<msg_…@sender domain>`), looked up in every
 * database. The sender must be the message's recipient (a DSN: its failed recipient), so knowing a
 * message id is not enough to record a reply on someone else's behalf.
 */
async function byHeaders(env: Env, mail: InboundMail): Promise<Matched | null> {
  const ids = [
    ...new Set(mail.referenced.map((r) => OUR_MESSAGE_ID.exec(r)?.[1]).filter((x): x is string => !!x)),
  ].slice(0, 20);
  if (!ids.length) return null;
  // A report names the recipients it is about; a reply comes from one.
  const who = new Set(
    (mail.bounce ? mail.bounce.recipients.map((r) => r.address ?? "") : [mail.from])
      .map((a) => normalizeEmail(a))
      .filter(Boolean),
  );
  if (!who.size) return null;
  for (const name of databaseNames(env)) {
    // Which organization sent it is what this finds: the look-up spans the database.
    const row = await crossTenantSql(
      d1Named(env, name),
      `SELECT id, organization_id, to_email FROM messages WHERE id IN (${ids.map((_, i) => `?${i + 1}`).join(",")}) LIMIT 20`,
      ...ids,
    ).all<{ id: string; organization_id: string; to_email: string | null }>();
    const hit = row.results.find((r) => r.to_email && who.has(normalizeEmail(r.to_email)));
    if (!hit) continue;
    const tenant = await tenantFor(env, hit.organization_id);
    const message = await messageIn(tenant, hit.id);
    if (message) return { tenant, message, by: "headers" };
  }
  return null;
}

/** forward_to, else the scenario's or campaign's reply_to, else the address the message came from. */
async function destinationOf(m: Matched, inboundDomain: string | null): Promise<string | null> {
  const settings = await getReplySettings(m.tenant);
  let to = settings.forward_to;
  if (!to && m.message.campaignId) {
    const c = await m.tenant.db
      .select({ replyTo: campaigns.replyTo })
      .from(campaigns)
      .where(and(eq(campaigns.id, m.message.campaignId), eq(campaigns.organizationId, m.tenant.orgId)))
      .get();
    to = c?.replyTo ?? null;
  }
  if (!to && m.message.scenarioId) {
    const s = await m.tenant.db
      .select({ replyTo: scenarios.replyTo })
      .from(scenarios)
      .where(and(eq(scenarios.id, m.message.scenarioId), eq(scenarios.organizationId, m.tenant.orgId)))
      .get();
    to = s?.replyTo ?? null;
  }
  to = to ?? m.message.fromEmail;
  // Never back into the inbound domain itself: that would loop.
  const domain = (inboundDomain ?? settings.inbound_domain)?.toLowerCase();
  if (!to || (domain && to.toLowerCase().endsWith(`@${domain}`))) return null;
  return to;
}

const EVENT_OF = { reply: "replied", auto_reply: "auto_replied", bounce: "bounced" } as const;

export async function receiveEmail(message: ForwardableEmailMessage, env: Env): Promise<InboundOutcome> {
  const fallback = String((env as { INBOUND_FALLBACK_TO?: unknown }).INBOUND_FALLBACK_TO ?? "") || null;
  const unmatched = async (): Promise<InboundOutcome> => {
    // Not ours to record (a forged or unknown token, mail to another address): pass it on as-is.
    if (fallback) {
      await message.forward(fallback);
      return { kind: "unmatched", forwardedTo: fallback };
    }
    message.setReject("unknown reply address");
    return { kind: "unmatched", forwardedTo: null };
  };
  if (message.rawSize > MAX_RAW) return unmatched();
  const raw = await new Response(message.raw).arrayBuffer();
  let mail: InboundMail | null = null;
  let failure: string | null = null;
  if (raw.byteLength > MAX_PARSED) failure = `over ${MAX_PARSED / 1024 / 1024} MB: kept unparsed`;
  else
    try {
      mail = await readInbound(raw);
    } catch (e) {
      failure = `unreadable: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300);
    }
  // Delivered, relayed, expanded: such a report says all is well, and changes nothing.
  if (mail?.kind === "delivery_report") return { kind: "ignored", reason: "delivery report (success)" };
  const matched = (await byToken(env, message.to)) ?? (mail ? await byHeaders(env, mail) : null);
  if (!matched) return unmatched();
  // The message as received, encrypted in R2 beside the sent mail (retention and erasure apply):
  // what the stripping removed, or a message that could not be read, is never lost.
  const archived =
    (
      await archiveRaw(env.ARCHIVE, matched.tenant.orgId, now(), [
        { messageId: "in", raw: new Uint8Array(raw) },
      ])
    ).get("in") ?? null;
  const dedupKey = `inbound:${mail?.messageId ?? (await sha256Hex(new TextDecoder().decode(raw)))}`;
  if (!mail) {
    // Recorded for an operator to see (GET /api/v1/events?type=unparsed), forwarded as it came.
    console.warn(`inbound: ${failure} (message ${matched.message.id})`);
    const stored = await storeEvent(matched.tenant, env.EVENTS_QUEUE, {
      source: SOURCES.inbound,
      dedupKey,
      type: "unparsed",
      contactId: matched.message.contactId,
      messageId: matched.message.id,
      raw: { kind: "unparsed", reason: failure, archived, matched_by: matched.by, size: raw.byteLength },
    });
    const to = (await destinationOf(matched, message.to.split("@")[1] ?? null)) ?? fallback;
    if (to) await message.forward(to);
    return { kind: "recorded", event: "unparsed", eventId: stored.id, forwardedTo: to };
  }

  const event = EVENT_OF[mail.kind];
  const inbound: InboundRaw = {
    kind: mail.kind,
    from: mail.from,
    subject: mail.subject,
    text: mail.text,
    inbound_message_id: mail.messageId,
    matched_by: matched.by,
    archived,
    ...(mail.bounce
      ? {
          status: mail.dsn?.status ?? null,
          // Only a permanent failure suppresses; a delay or a soft failure is recorded and retried.
          bounce_type: mail.bounce.kind === "permanent" ? "Permanent" : "Transient",
          format: mail.bounce.format,
          recipients: mail.bounce.recipients.slice(0, 20).map((r) => r.address),
        }
      : {}),
  };
  // Stored before anything else: a redelivery (the MTA retries after an error) is one event.
  const stored = await storeEvent(matched.tenant, env.EVENTS_QUEUE, {
    source: SOURCES.inbound,
    dedupKey,
    type: event,
    contactId: matched.message.contactId,
    messageId: matched.message.id,
    raw: inbound,
  });
  // A DSN is recorded as a bounce; nobody needs the report itself in their mailbox.
  if (mail.kind === "bounce") return { kind: "recorded", event, eventId: stored.id, forwardedTo: null };
  const to = (await destinationOf(matched, message.to.split("@")[1] ?? null)) ?? fallback;
  if (to) await message.forward(to);
  else console.warn(`inbound: reply to ${matched.message.id} recorded, no address to forward it to`);
  return { kind: "recorded", event, eventId: stored.id, forwardedTo: to };
}
