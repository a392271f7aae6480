import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId } from "./columns";

/**
 * Web UI sessions, in the directory database (DB). The cookie holds a random token; only its
 * SHA-256 is stored, so a leaked table signs nobody in and a row deleted is a session revoked.
 */
export const uiSessions = sqliteTable(
  "ui_sessions",
  {
    /** SHA-256 hex of the cookie's token. */
    tokenHash: text("token_hash").primaryKey(),
    organizationId: organizationId(),
    /** The team member signed in (magic link, or an API key bound to a member); null: an unbound API key. */
    userId: text("user_id"),
    /** The API key signed in with, if any: revoking the key ends the session. */
    apiKeyId: text("api_key_id"),
    /** The token every form of this session carries (CSRF). */
    csrfToken: text("csrf_token").notNull(),
    createdAt: createdAt(),
    /** Sessions end after 12 hours without a request; refreshed at most every 5 minutes. */
    lastSeenAt: integer("last_seen_at").notNull(),
  },
  (t) => [index("ui_sessions_org").on(t.organizationId)],
);

/** Magic sign-in links: single use, 15 minutes, confirmed by a POST (mail scanners only GET). */
export const loginLinks = sqliteTable(
  "login_links",
  {
    /** SHA-256 hex of the link's token. */
    tokenHash: text("token_hash").primaryKey(),
    organizationId: organizationId(),
    userId: text("user_id").notNull(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("login_links_expiry").on(t.expiresAt)],
);
