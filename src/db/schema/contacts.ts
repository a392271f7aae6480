import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, updatedAt } from "./columns";

export const CONTACT_STATUSES = ["subscribed", "unsubscribed", "bounced", "complained"] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const contacts = sqliteTable(
  "contacts",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    email: text("email").notNull(),
    /** Lower-cased email: uniqueness and lookups are case-insensitive. */
    emailNormalized: text("email_normalized").notNull(),
    firstName: text("first_name"),
    lastName: text("last_name"),
    phone: text("phone"),
    timezone: text("timezone"),
    /** BCP 47 language tag (fr, fr-CA): picks a template's translation. */
    locale: text("locale"),
    /** JSON array of strings. */
    tags: text("tags").notNull().default("[]"),
    /** JSON object. */
    attributes: text("attributes").notNull().default("{}"),
    status: text("status", { enum: CONTACT_STATUSES }).notNull().default("subscribed"),
    lifecycleStage: text("lifecycle_stage"),
    score: integer("score").notNull().default(0),
    validationScore: real("validation_score"),
    deliverable: integer("deliverable", { mode: "boolean" }),
    lastEventAt: integer("last_event_at"),
    /** Last marketing email sent, for the cross-scenario cooldown. */
    lastSentAt: integer("last_sent_at"),
    /** Last human open and click of any message (segments: last_opened_at within 30 days...). */
    lastOpenedAt: integer("last_opened_at"),
    lastClickedAt: integer("last_clicked_at"),
    /** Purchases (distinct orders), their total, and the last one. */
    purchaseCount: integer("purchase_count").notNull().default(0),
    totalSpent: real("total_spent").notNull().default(0),
    lastPurchaseAt: integer("last_purchase_at"),
    /** RFM segment and score, and the composite fit score, as last computed. */
    rfmSegment: text("rfm_segment"),
    /** The segment before the last recompute (a change fires rfm_segment_changed). */
    rfmPreviousSegment: text("rfm_previous_segment"),
    rfmScore: real("rfm_score"),
    /** JSON {recency_days, frequency, monetary, r, f, m, score, segment, computed_at}. */
    rfm: text("rfm"),
    fitScore: real("fit_score"),
    /** JSON {type: "granted" | "revoked" | "pending"}: the current consent per type. */
    consents: text("consents").notNull().default("{}"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("contacts_org_email").on(t.organizationId, t.emailNormalized),
    index("contacts_org_score").on(t.organizationId, t.score),
  ],
);

/** Addresses that must never receive marketing mail again; stored as SHA-256 of the normalized email. */
export const suppressions = sqliteTable(
  "suppressions",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    emailHash: text("email_hash").notNull(),
    reason: text("reason", {
      enum: ["unsubscribed", "hard_bounce", "complaint", "erased", "manual"],
    }).notNull(),
    /** The normalized address, to list and search; null for an erased contact (only its hash stays). */
    email: text("email"),
    /** Where it came from: ses, brevo, unsubscribe, preferences, api, import, ui, erasure. */
    source: text("source"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("suppressions_org_hash").on(t.organizationId, t.emailHash)],
);

/** Every score change with its cause. */
export const scoreHistory = sqliteTable(
  "score_history",
  {
    id: text("id").notNull(),
    organizationId: organizationId(),
    contactId: text("contact_id").notNull(),
    delta: integer("delta").notNull(),
    scoreAfter: integer("score_after").notNull(),
    cause: text("cause").notNull(),
    eventId: text("event_id"),
    createdAt: createdAt(),
  },
  // WITHOUT ROWID (migration 0001): a contact's history is a range of the key, one row written per change.
  (t) => [primaryKey({ columns: [t.organizationId, t.contactId, t.id] })],
);
