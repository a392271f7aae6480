import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, senderColumns, updatedAt } from "./columns";

export const SEGMENT_TYPES = ["dynamic", "static"] as const;

/** A saved audience: criteria over contact fields (dynamic) or an explicit member list (static). */
export const segments = sqliteTable(
  "segments",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    description: text("description"),
    type: text("type", { enum: SEGMENT_TYPES }).notNull(),
    /** JSON criteria tree (services/segments/criteria.ts); null for a static segment. */
    criteria: text("criteria"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("segments_org").on(t.organizationId)],
);

/** Members of static segments, keyed by (segment, contact): one row written per member. */
export const segmentMembers = sqliteTable(
  "segment_members",
  {
    segmentId: text("segment_id").notNull(),
    contactId: text("contact_id").notNull(),
    organizationId: organizationId(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.contactId] })],
);

export const CAMPAIGN_STATUSES = ["draft", "scheduled", "sending", "sent", "paused", "cancelled"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** A one-off broadcast to one or more segments minus exclusion segments. */
export const campaigns = sqliteTable(
  "campaigns",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    status: text("status", { enum: CAMPAIGN_STATUSES }).notNull().default("draft"),
    /** "standard", or "recommendations" (each recipient gets the template of their kind). */
    kind: text("kind").notNull().default("standard"),
    ...senderColumns(),
    templateId: text("template_id"),
    /** JSON [{name, template_id, weight}]; null with a single template. */
    variants: text("variants"),
    /** JSON {rebuy, cross_sell, winback} template ids, for kind "recommendations". */
    templates: text("templates"),
    /** JSON arrays of segment ids. */
    segmentIds: text("segment_ids").notNull().default("[]"),
    excludeSegmentIds: text("exclude_segment_ids").notNull().default("[]"),
    /** UTC epoch ms; `timezone` is the marketer's, for display. */
    sendAt: integer("send_at"),
    timezone: text("timezone"),
    /** JSON {source, medium, campaign, content?}. */
    utm: text("utm"),
    trackOpens: integer("track_opens", { mode: "boolean" }).notNull().default(true),
    trackClicks: integer("track_clicks", { mode: "boolean" }).notNull().default(true),
    /** JSON auto_winner settings and, once decided, the decision. */
    autoWinner: text("auto_winner"),
    winner: text("winner"),
    /** auto_winner with test_percent: when the test group was queued, and when the winner is decided. */
    testResolvedAt: integer("test_resolved_at"),
    decideAt: integer("decide_at"),
    pausedReason: text("paused_reason"),
    /** Audience resolution: the last contact id paged, and when the scan ended. */
    cursor: text("cursor"),
    resolvedAt: integer("resolved_at"),
    /** Recipients queued for a send (a ledger row each), sends finished, exclusions by reason (JSON). */
    queuedCount: integer("queued_count").notNull().default(0),
    finishedCount: integer("finished_count").notNull().default(0),
    excluded: text("excluded").notNull().default("{}"),
    startedAt: integer("started_at"),
    completedAt: integer("completed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("campaigns_org").on(t.organizationId), index("campaigns_scheduled").on(t.status, t.sendAt)],
);

/**
 * Every contact the audience resolution looked at: queued (with its ledger row) or skipped with the
 * reason. Keyed by (campaign, contact): a contact is a recipient at most once per campaign.
 */
export const campaignRecipients = sqliteTable(
  "campaign_recipients",
  {
    campaignId: text("campaign_id").notNull(),
    contactId: text("contact_id").notNull(),
    organizationId: organizationId(),
    status: text("status", { enum: ["queued", "skipped"] }).notNull(),
    reason: text("reason"),
    variantName: text("variant_name"),
    ledgerId: text("ledger_id"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.contactId] })],
);

/** Clicks per (campaign, link, message): unique clicks are the rows, clicks their sum. */
export const campaignLinkClicks = sqliteTable(
  "campaign_link_clicks",
  {
    campaignId: text("campaign_id").notNull(),
    urlHash: text("url_hash").notNull(),
    messageId: text("message_id").notNull(),
    organizationId: organizationId(),
    url: text("url").notNull(),
    clicks: integer("clicks").notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.urlHash, t.messageId] })],
);

export const CONSENT_STATE_VALUES = ["granted", "revoked", "pending"] as const;

/**
 * The consent audit trail: one row per change, never updated. contacts.consents holds the current
 * state per type. An erased contact's history is reduced to its hashed address and the revocation.
 */
export const consentRecords = sqliteTable(
  "consent_records",
  {
    id: text("id").notNull(),
    organizationId: organizationId(),
    /** Null once the contact is erased; the hash of the address stays. */
    contactId: text("contact_id"),
    emailHash: text("email_hash").notNull(),
    type: text("type").notNull(),
    state: text("state", { enum: CONSENT_STATE_VALUES }).notNull(),
    source: text("source").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    doubleOptIn: integer("double_opt_in", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index("consent_records_contact").on(t.organizationId, t.contactId),
  ],
);

/** Sign-up forms: a public action URL per form (the token names it). */
export const forms = sqliteTable(
  "forms",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    token: text("token").notNull(),
    /** JSON [{name, type, required}]. */
    fields: text("fields").notNull(),
    tags: text("tags").notNull().default("[]"),
    segmentId: text("segment_id"),
    redirectUrl: text("redirect_url"),
    /** Null: the organization's consent setting. */
    doubleOptIn: integer("double_opt_in", { mode: "boolean" }),
    /** The confirmation email's template (null: the built-in one, in the form's language). */
    confirmationTemplateId: text("confirmation_template_id"),
    language: text("language").notNull().default("en"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("forms_token").on(t.token), index("forms_org").on(t.organizationId)],
);
