import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, updatedAt } from "./columns";

export const templates = sqliteTable("templates", {
  id: text("id").primaryKey(),
  organizationId: organizationId(),
  name: text("name").notNull(),
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text"),
  /** A design's JSON (services/designs/schema.ts); html and text are rendered from it. Null: raw HTML. */
  design: text("design"),
  /** Preview text shown after the subject in the inbox (a design renders it hidden at the top). */
  preheader: text("preheader"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
