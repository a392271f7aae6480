import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, updatedAt } from "./columns";

export const templates = sqliteTable("templates", {
  id: text("id").primaryKey(),
  organizationId: organizationId(),
  name: text("name").notNull(),
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
