import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, updatedAt } from "./columns";

/** Hosted landing pages: blocks (services/landing/schema.ts) rendered as a web page at /lp/<org>/<slug>. */
export const landingPages = sqliteTable(
  "landing_pages",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    title: text("title"),
    /** The page's JSON: settings and blocks, form blocks included. */
    design: text("design").notNull(),
    published: integer("published", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("landing_pages_org_slug").on(t.organizationId, t.slug)],
);
