import { and, eq, isNull } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { configOf } from "../config";
import { apiKeys } from "../db/schema";
import { sha256Hex, timingSafeEqual } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { countFailure, limit } from "./rate-limit";
import { tenantFor } from "../db/route";

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

/**
 * API-key authentication: the key is hashed and looked up by its hash (unique index), so the
 * comparison never touches the plaintext. Sets the tenant scope every route works in.
 */
export const apiKeyAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = bearer(c.req.header("Authorization"));
  if (!key) {
    await countFailure(c);
    throw new ApiError("UNAUTHORIZED", "missing bearer API key");
  }
  const db = c.get("db");
  const row = await db
    .select({ id: apiKeys.id, organizationId: apiKeys.organizationId, userId: apiKeys.userId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) {
    await countFailure(c);
    throw new ApiError("UNAUTHORIZED", "invalid or revoked API key");
  }
  // Per API key: API_RATE_LIMIT requests a minute (600 by default).
  await limit(c.env.API_RATE_LIMIT, `key:${row.id}`, "requests for this API key");
  c.set("tenant", await tenantFor(c.env, row.organizationId));
  c.set("userId", row.userId);
  c.set("apiKeyId", row.id);
  await next();
};

/** Operator routes: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export const adminAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearer(c.req.header("Authorization"));
  if (!token || !timingSafeEqual(token, configOf(c.env).ADMIN_TOKEN)) {
    await countFailure(c);
    throw new ApiError("UNAUTHORIZED", "missing or wrong operator token");
  }
  await next();
};
