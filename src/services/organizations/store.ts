import { and, eq, gt, or } from "drizzle-orm";
import { createDb } from "../../db/client";
import { DIRECTORY, tenantFor } from "../../db/route";
import { organizations } from "../../db/schema";
import { now } from "../../lib/clock";
import { newId, randomToken } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import type { Tenant } from "../../lib/tenant";
import { createApiKey } from "../api-keys/store";
import { seedOrganization } from "./seeders";

/**
 * Create an organization in the directory, at home in `database` (a D1 binding named in
 * D1_SHARDS, or the directory itself), with its first API key and its seeded defaults.
 */
export async function createOrganization(env: Env, name: string, database: string = DIRECTORY) {
  const at = now();
  const org = {
    id: newId("org", at),
    name,
    webhookToken: randomToken(24),
    settings: "{}",
    database: database === DIRECTORY ? null : database,
    createdAt: at,
  };
  const directory = createDb(env.DB);
  await directory.insert(organizations).values(org);
  const tenant = await tenantFor(env, org.id);
  const key = await createApiKey(tenant, { name: "default" });
  await seedOrganization(tenant);
  return { organization: { id: org.id, name: org.name }, api_key: key.api_key };
}

export async function getOrganization(tenant: Tenant) {
  const org = await tenant.directory
    .select()
    .from(organizations)
    .where(eq(organizations.id, tenant.orgId))
    .get();
  if (!org) throw new Error("organization of an authenticated key is missing");
  return org;
}

/** One feature's key of an organization row's settings JSON, over its defaults (no I/O). */
export function settingsFrom<T extends object>(
  org: { settings: string | null },
  key: string,
  defaults: T,
): T {
  const all = parseJson<Record<string, unknown>>(org.settings, {});
  return { ...defaults, ...((all[key] as Partial<T>) ?? {}) };
}

/** Organization settings JSON (scoring, reminders...), each feature reading its own key. */
export async function getSettings<T extends object>(tenant: Tenant, key: string, defaults: T): Promise<T> {
  return settingsFrom(await getOrganization(tenant), key, defaults);
}

/**
 * A feature's settings section: read (from the database, or from an organization row already
 * read) and patch over the current value. `normalize` adjusts a merged value before it is stored.
 */
export function settingsSection<T extends object>(
  key: string,
  defaults: T,
  normalize: (v: T) => T = (v) => v,
) {
  const get = (tenant: Tenant) => getSettings(tenant, key, defaults);
  return {
    get,
    from: (org: { settings: string | null }) => settingsFrom(org, key, defaults),
    async put(tenant: Tenant, patch: Partial<T>): Promise<T> {
      const next = normalize({ ...(await get(tenant)), ...patch });
      await putSettings(tenant, key, next);
      return next;
    },
  };
}

export async function putSettings(tenant: Tenant, key: string, value: object): Promise<void> {
  const org = await getOrganization(tenant);
  const all = parseJson<Record<string, unknown>>(org.settings, {});
  all[key] = value;
  await tenant.directory
    .update(organizations)
    .set({ settings: JSON.stringify(all) })
    .where(eq(organizations.id, tenant.orgId));
  clearWebhookCache();
}

/** How long a webhook URL's organization (and its settings) is kept in the isolate's memory. */
export const WEBHOOK_CACHE_MS = 30_000;
const webhookCache = new Map<string, { orgId: string | null; settings: string; until: number }>();

/**
 * Resolve the organization a provider webhook URL names, with its settings JSON; null when the
 * token is unknown. Webhooks arrive by the thousand a second: the answer (found or not) is kept
 * in isolate memory for 30 s, so steady traffic costs no D1 round trip for it, and a settings
 * change reaches the webhook checks within that time.
 */
export async function webhookOrganization(
  env: Env,
  token: string,
): Promise<{ tenant: Tenant; settings: Record<string, unknown> } | null> {
  const db = createDb(env.DB);
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  const at = now();
  let hit = webhookCache.get(token);
  if (!hit || hit.until < at) {
    // The current token, or the one before the last rotation while it is still in its grace period.
    const org = await db
      .select({
        id: organizations.id,
        settings: organizations.settings,
        current: organizations.webhookToken,
        expires: organizations.previousTokenExpiresAt,
      })
      .from(organizations)
      .where(
        or(
          eq(organizations.webhookToken, token),
          and(eq(organizations.previousWebhookToken, token), gt(organizations.previousTokenExpiresAt, at)),
        ),
      )
      .get();
    const until =
      org && org.current !== token
        ? Math.min(at + WEBHOOK_CACHE_MS, org.expires ?? at)
        : at + WEBHOOK_CACHE_MS;
    hit = { orgId: org?.id ?? null, settings: org?.settings ?? "{}", until };
    if (webhookCache.size >= 1000) webhookCache.clear();
    webhookCache.set(token, hit);
  }
  if (!hit.orgId) return null;
  return {
    tenant: await tenantFor(env, hit.orgId),
    settings: parseJson<Record<string, unknown>>(hit.settings, {}),
  };
}

/** Forget cached webhook lookups (settings just changed in this isolate; tests). */
export function clearWebhookCache(): void {
  webhookCache.clear();
}

export async function tenantByWebhookToken(env: Env, token: string): Promise<Tenant | null> {
  return (await webhookOrganization(env, token))?.tenant ?? null;
}

/** How long a rotated-out webhook token keeps working, so providers can be switched over. */
export const WEBHOOK_TOKEN_GRACE_MS = 24 * 3_600_000;

/**
 * A new webhook token for the organization. The one it replaces keeps working for 24 hours (one
 * rotation at a time: rotating again ends the older token's grace at once).
 */
export async function rotateWebhookToken(
  tenant: Tenant,
): Promise<{ token: string; previousValidUntil: number }> {
  const org = await getOrganization(tenant);
  const token = randomToken(24);
  const previousValidUntil = now() + WEBHOOK_TOKEN_GRACE_MS;
  await tenant.directory
    .update(organizations)
    .set({
      webhookToken: token,
      previousWebhookToken: org.webhookToken,
      previousTokenExpiresAt: previousValidUntil,
    })
    .where(eq(organizations.id, tenant.orgId));
  clearWebhookCache();
  return { token, previousValidUntil };
}
