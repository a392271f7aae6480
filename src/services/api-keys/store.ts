import { isNull } from "drizzle-orm";
import { apiKeys, users } from "../../db/schema";
import { now } from "../../lib/clock";
import { sha256Hex } from "../../lib/crypto";
import { notFound, validationError } from "../../lib/errors";
import { eq } from "drizzle-orm";
import { newId, randomToken } from "../../lib/ids";
import { scoped, type Tenant } from "../../lib/tenant";

/** Every key starts with this, so a leaked key is easy to spot in logs and by secret scanners. */
export const API_KEY_PREFIX = "em_live_";

export async function createApiKey(tenant: Tenant, input: { name: string; user_id?: string | null }) {
  if (input.user_id) {
    const user = await tenant.db
      .select({ id: users.id })
      .from(users)
      .where(scoped(tenant, users, eq(users.id, input.user_id)))
      .get();
    if (!user) throw validationError("user_id", "no such user in this organization");
  }
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const at = now();
  const row = {
    id: newId("key", at),
    organizationId: tenant.orgId,
    userId: input.user_id ?? null,
    name: input.name,
    prefix: key.slice(0, API_KEY_PREFIX.length + 4),
    keyHash: await sha256Hex(key),
    createdAt: at,
  };
  await tenant.directory.insert(apiKeys).values(row);
  return { id: row.id, name: row.name, prefix: row.prefix, user_id: row.userId, api_key: key };
}

export async function listApiKeys(tenant: Tenant) {
  const rows = await tenant.directory
    .select()
    .from(apiKeys)
    .where(scoped(tenant, apiKeys, isNull(apiKeys.revokedAt)))
    .all();
  return rows.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    user_id: k.userId,
    created_at: new Date(k.createdAt).toISOString(),
  }));
}

export async function revokeApiKey(tenant: Tenant, id: string) {
  const res = await tenant.directory
    .update(apiKeys)
    .set({ revokedAt: now() })
    .where(scoped(tenant, apiKeys, eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (res.length === 0) throw notFound("API key");
}
