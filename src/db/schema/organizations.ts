import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, updatedAt } from "./columns";

export const organizations = sqliteTable(
  "organizations",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Random token that names the organization in its provider webhook URLs. */
    webhookToken: text("webhook_token").notNull(),
    /** The token before the last rotation: still accepted until previous_token_expires_at. */
    previousWebhookToken: text("previous_webhook_token"),
    previousTokenExpiresAt: integer("previous_token_expires_at"),
    /** JSON: scoring weights, decay, reminder settings. */
    settings: text("settings").notNull().default("{}"),
    /** The D1 binding holding the organization's data (db/route.ts); null: DB. */
    database: text("database"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("organizations_webhook_token").on(t.webhookToken),
    index("organizations_previous_webhook_token").on(t.previousWebhookToken),
  ],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    userId: text("user_id"),
    name: text("name").notNull(),
    /** First characters of the key, for display ("em_live_abcd…"). */
    prefix: text("prefix").notNull(),
    /** SHA-256 hex of the whole key; the key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    createdAt: createdAt(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_key_hash").on(t.keyHash)],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    timezone: text("timezone"),
    createdAt: createdAt(),
  },
  (t) => [index("users_org").on(t.organizationId)],
);

/** One row per (organization, provider): public config as JSON, secrets AES-GCM encrypted. */
export const providerAccounts = sqliteTable(
  "provider_accounts",
  {
    organizationId: organizationId(),
    provider: text("provider", { enum: ["ses", "brevo"] }).notNull(),
    config: text("config").notNull().default("{}"),
    secretCiphertext: text("secret_ciphertext"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.provider] })],
);
