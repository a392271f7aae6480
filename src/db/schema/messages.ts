import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, updatedAt } from "./columns";

export const LEDGER_STATUSES = ["pending", "sending", "executed", "skipped", "failed"] as const;
export const MESSAGE_STATUSES = [
  "queued",
  "sent",
  "delivered",
  "opened",
  "clicked",
  "replied",
  "bounced",
  "complained",
  "failed",
] as const;

/**
 * One row per outbound operation (a send). The idempotency key is unique, so a second insert of the
 * same (organization, scenario, step, contact) does nothing; the SEND consumer claims the row
 * (pending -> sending) before it calls a provider.
 */
export const operationLedger = sqliteTable(
  "operation_ledger",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    idempotencyKey: text("idempotency_key").notNull(),
    kind: text("kind").notNull().default("send"),
    scenarioId: text("scenario_id"),
    stepOrder: integer("step_order"),
    /** Null for mail to a non-contact (a reminder to a team member). */
    contactId: text("contact_id"),
    variantName: text("variant_name"),
    templateId: text("template_id"),
    campaignId: text("campaign_id"),
    status: text("status", { enum: LEDGER_STATUSES }).notNull().default("pending"),
    reason: text("reason"),
    attempts: integer("attempts").notNull().default(0),
    leaseUntil: integer("lease_until"),
    messageId: text("message_id"),
    /** JSON with anything the sender needs that is not a column (rule id, provider override...). */
    payload: text("payload").notNull().default("{}"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // WITHOUT ROWID (migration 0001). No status index: each status change would write it too. The
  // recovery job walks the recent id range instead (ids are time-ordered).
  (t) => [uniqueIndex("operation_ledger_key").on(t.idempotencyKey)],
);

export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    contactId: text("contact_id"),
    scenarioId: text("scenario_id"),
    stepOrder: integer("step_order"),
    variantName: text("variant_name"),
    campaignId: text("campaign_id"),
    ledgerId: text("ledger_id"),
    provider: text("provider").notNull(),
    externalId: text("external_id"),
    subject: text("subject"),
    fromEmail: text("from_email"),
    toEmail: text("to_email"),
    status: text("status", { enum: MESSAGE_STATUSES }).notNull().default("queued"),
    /** The exact MIME handed to the provider, when the R2 archive did not take it (see raw_ref). */
    raw: text("raw"),
    /** Where the R2 archive keeps the raw MIME (services/sending/archive.ts), with its key. */
    rawRef: text("raw_ref"),
    sentAt: integer("sent_at"),
    deliveredAt: integer("delivered_at"),
    firstOpenedAt: integer("first_opened_at"),
    lastOpenedAt: integer("last_opened_at"),
    firstClickedAt: integer("first_clicked_at"),
    lastClickedAt: integer("last_clicked_at"),
    openCount: integer("open_count").notNull().default(0),
    machineOpenCount: integer("machine_open_count").notNull().default(0),
    clickCount: integer("click_count").notNull().default(0),
    /** The first reply (services/replies): reply rates and the replied status. */
    repliedAt: integer("replied_at"),
    failureReason: text("failure_reason"),
    /** The recipient unsubscribed through this message. */
    unsubscribedAt: integer("unsubscribed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Only campaign messages are in it: stats and ?campaign_id= read a campaign's messages.
    index("messages_campaign").on(t.campaignId).where(sql`campaign_id IS NOT NULL`),
    // Per organization: one organization cannot learn or claim another's provider message ids.
    uniqueIndex("messages_org_provider_external").on(t.organizationId, t.provider, t.externalId),
    index("messages_org_contact").on(t.organizationId, t.contactId),
  ],
);

/** Every inbound event (provider webhook, tracking hit, behaviour event), stored raw before it is acknowledged. */
export const events = sqliteTable(
  "events",
  {
    id: text("id").notNull(),
    organizationId: organizationId(),
    source: text("source").notNull(),
    /** Unique per organization: the same delivery twice is stored once. */
    dedupKey: text("dedup_key").notNull(),
    type: text("type").notNull(),
    contactId: text("contact_id"),
    messageId: text("message_id"),
    occurredAt: integer("occurred_at").notNull(),
    raw: text("raw").notNull(),
    /** JSON {event, effects}: set in the same batch as the event's effects, so they apply once. */
    normalized: text("normalized"),
    /** Why processing gave up (dead-letter queue); the raw row stays replayable. */
    error: text("error"),
    processedAt: integer("processed_at"),
    createdAt: createdAt(),
  },
  // WITHOUT ROWID (migration 0001): the key is the row, so an insert writes the row and the dedup index.
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex("events_org_dedup").on(t.organizationId, t.dedupKey),
  ],
);

/**
 * Sends, bounces and complaints per scenario or campaign and UTC day: the deliverability guard's
 * rolling window (services/deliverability). SEND adds its batch's sends in one statement; the
 * EVENTS consumer adds a bounce or complaint in the event's own batch, so each counts once.
 */
export const sendHealth = sqliteTable(
  "send_health",
  {
    organizationId: organizationId(),
    /** A scenario id or a campaign id. */
    scopeId: text("scope_id").notNull(),
    day: text("day").notNull(),
    sent: integer("sent").notNull().default(0),
    bounced: integer("bounced").notNull().default(0),
    complained: integer("complained").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.scopeId, t.day] })],
);
