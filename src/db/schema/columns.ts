import { integer, text } from "drizzle-orm/sqlite-core";

/** Every tenant table carries this column; services filter on it through `lib/tenant.ts`. */
export const organizationId = () => text("organization_id").notNull();
/** Timestamps are epoch milliseconds (UTC); the API renders them as ISO-8601. */
export const createdAt = () => integer("created_at").notNull();
export const updatedAt = () => integer("updated_at").notNull();
