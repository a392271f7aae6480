import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, updatedAt } from "./columns";

/**
 * POST /api/v1/send with an idempotency_key: the first request's ledger row, for 24 hours. One batch
 * claims the key and writes the ledger row, so concurrent identical requests make one send.
 */
export const sendRequests = sqliteTable(
  "send_requests",
  {
    organizationId: organizationId(),
    idempotencyKey: text("idempotency_key").notNull(),
    ledgerId: text("ledger_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.idempotencyKey] })],
);

export const DOMAIN_STATUSES = ["pending", "verified", "failed"] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

/**
 * A sending domain: the DNS records to publish (DKIM, SPF / MAIL FROM, DMARC) with their last checked
 * status, checked on demand and on a schedule; mail from a registered domain goes out only once it is
 * verified. `warmup`: JSON {start_per_day, growth, max_per_day, started_at} (a daily ramp).
 */
export const sendingDomains = sqliteTable(
  "sending_domains",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    domain: text("domain").notNull(),
    /** The provider that authenticates it: ses, brevo, or log (DNS checks only). */
    provider: text("provider").notNull(),
    status: text("status", { enum: DOMAIN_STATUSES }).notNull().default("pending"),
    /** JSON [{kind, type, name, value, status}]. */
    records: text("records").notNull().default("[]"),
    /** Why the last check left it pending or failed. */
    reason: text("reason"),
    checkedAt: integer("checked_at"),
    nextCheckAt: integer("next_check_at"),
    verifiedAt: integer("verified_at"),
    warmup: text("warmup"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sending_domains_org_domain").on(t.organizationId, t.domain),
    index("sending_domains_domain").on(t.domain),
    index("sending_domains_next_check").on(t.nextCheckAt),
  ],
);

/** Sends per domain and UTC day, counted against the domain's warm-up allowance. */
export const domainDailyCounters = sqliteTable(
  "domain_daily_counters",
  {
    domainId: text("domain_id").notNull(),
    day: text("day").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.domainId, t.day] })],
);
