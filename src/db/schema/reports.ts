import { integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organizationId } from "./columns";

/**
 * A closed report day's counters per organization, for the whole organization (kind `all`, group
 * ''), and per campaign, scenario and template: written once when a report first needs a day that
 * is more than REPORT_OPEN_DAYS old (services/reports/rollup.ts), read by every later report, so a
 * report over a year reads a few hundred rows instead of every message.
 */
export const reportDays = sqliteTable(
  "report_days",
  {
    organizationId: organizationId(),
    /** YYYY-MM-DD in the organization's timezone when it was rolled up. */
    day: text("day").notNull(),
    kind: text("kind", { enum: ["all", "campaign", "scenario", "template"] }).notNull(),
    groupId: text("group_id").notNull().default(""),
    sent: integer("sent").notNull().default(0),
    delivered: integer("delivered").notNull().default(0),
    opened: integer("opened").notNull().default(0),
    clicked: integer("clicked").notNull().default(0),
    bounced: integer("bounced").notNull().default(0),
    complained: integer("complained").notNull().default(0),
    unsubscribed: integer("unsubscribed").notNull().default(0),
    orders: integer("orders").notNull().default(0),
    revenue: real("revenue").notNull().default(0),
    newContacts: integer("new_contacts").notNull().default(0),
    /** The timezone the day was cut in (a timezone change rolls the days up again). */
    timezone: text("timezone").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.day, t.kind, t.groupId] })],
);
