import { integer, text } from "drizzle-orm/sqlite-core";

/** Every tenant table carries this column; services filter on it through `lib/tenant.ts`. */
export const organizationId = () => text("organization_id").notNull();
/** Timestamps are epoch milliseconds (UTC); the API renders them as ISO-8601. */
export const createdAt = () => integer("created_at").notNull();
export const updatedAt = () => integer("updated_at").notNull();

/** Who a scenario's or campaign's mail is from, and through which provider. */
export const senderColumns = () => ({
  provider: text("provider", { enum: ["log", "ses", "brevo"] })
    .notNull()
    .default("log"),
  fromEmail: text("from_email").notNull(),
  fromName: text("from_name"),
  replyTo: text("reply_to"),
});
