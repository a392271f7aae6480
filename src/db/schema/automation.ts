import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, updatedAt } from "./columns";

export const rules = sqliteTable(
  "rules",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    trigger: text("trigger").notNull(),
    /** JSON {threshold?} for lead_score_high, {tag?} for tag_added. */
    triggerConfig: text("trigger_config").notNull().default("{}"),
    /** JSON condition tree ({all|any: [...]} or a leaf {field, op, value}). */
    conditions: text("conditions").notNull().default("{}"),
    /** JSON array of {type, config, delay_minutes}. */
    actions: text("actions").notNull().default("[]"),
    priority: integer("priority").notNull().default(50),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    stopProcessing: integer("stop_processing", { mode: "boolean" }).notNull().default(false),
    isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("rules_org_trigger").on(t.organizationId, t.trigger)],
);

export const ruleRuns = sqliteTable(
  "rule_runs",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    ruleId: text("rule_id").notNull(),
    eventId: text("event_id"),
    contactId: text("contact_id"),
    trigger: text("trigger"),
    status: text("status").notNull(),
    /** JSON array of {index, type, status: pending|running|scheduled|executed|skipped|failed, reason?, due_at?, at?}. */
    actions: text("actions").notNull().default("[]"),
    /** JSON snapshot of the event the run is for (delayed actions execute against it). */
    event: text("event").notNull().default("{}"),
    /** JSON snapshot of the rule's actions when it matched (an edit does not change scheduled work). */
    plan: text("plan").notNull().default("[]"),
    /** Lease of the worker running the rule's immediate actions; a crashed run is resumed after it. */
    claimedUntil: integer("claimed_until"),
    createdAt: createdAt(),
  },
  // One run per (rule, event): a redelivered event finds its run instead of running the rule again.
  (t) => [uniqueIndex("rule_runs_rule_event").on(t.ruleId, t.eventId)],
);

export const INTERACTION_TYPES = [
  "email_open",
  "email_click",
  "reply",
  "call",
  "task",
  "note",
  "meeting",
  "purchase",
] as const;
export const INTERACTION_STATUSES = ["todo", "in_progress", "done"] as const;

export const interactions = sqliteTable(
  "interactions",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    contactId: text("contact_id"),
    type: text("type", { enum: INTERACTION_TYPES }).notNull(),
    title: text("title").notNull(),
    body: text("body"),
    status: text("status", { enum: INTERACTION_STATUSES }).notNull().default("todo"),
    assigneeId: text("assignee_id"),
    nextActionAt: integer("next_action_at"),
    notifiedAt: integer("notified_at"),
    messageId: text("message_id"),
    scenarioId: text("scenario_id"),
    ruleId: text("rule_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // WITHOUT ROWID (migration 0021): an inbox item written is its row and the inbox's index entry.
  (t) => [
    index("interactions_org_next_action").on(t.organizationId, t.nextActionAt),
    // Partial index: only interactions still waiting for their reminder are in it, so the
    // reminder cron reads just the due rows and an index entry is written only while a reminder is armed.
    index("interactions_reminder_due")
      .on(t.nextActionAt)
      .where(sql`notified_at IS NULL AND assignee_id IS NOT NULL AND status <> 'done'`),
  ],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    userId: text("user_id").notNull(),
    interactionId: text("interaction_id"),
    title: text("title").notNull(),
    body: text("body"),
    readAt: integer("read_at"),
    createdAt: createdAt(),
  },
  (t) => [index("notifications_user").on(t.organizationId, t.userId)],
);
