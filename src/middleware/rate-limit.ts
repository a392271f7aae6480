import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError } from "../lib/errors";

/** The Workers Rate Limiting bindings count in fixed windows of this many seconds. */
export const WINDOW_SECONDS = 60;

/** The client's address as Cloudflare gives it; absent only outside Cloudflare (tests, a bare workerd). */
export const clientIp = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? null;

export class RateLimited extends ApiError {
  constructor(what: string) {
    super("RATE_LIMIT_EXCEEDED", `too many requests (${what}); try again in ${WINDOW_SECONDS} s`);
  }
}

/**
 * Count one request under `key` and refuse it (429 RATE_LIMIT_EXCEEDED, Retry-After) past the
 * binding's limit. A binding that is not configured, or a request with no key, is not limited.
 */
export async function limit(binding: RateLimit | undefined, key: string | null, what: string) {
  if (!binding || !key) return;
  const { success } = await binding.limit({ key });
  if (!success) throw new RateLimited(what);
}

/**
 * After a failed authentication (bad API key, admin token, webhook or page token): count it for
 * the client's address; past AUTH_FAILURE_RATE_LIMIT the answer is 429 instead of 401/404, so
 * guessing is slowed per address. Valid credentials from the same address are never counted.
 */
export async function countFailure(c: Context<AppEnv>) {
  await limit(c.env.AUTH_FAILURE_RATE_LIMIT, clientIp(c), "failed authentication from this address");
}
