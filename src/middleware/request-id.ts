import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { randomToken } from "../lib/ids";

/**
 * Give every request an id: Cloudflare's Ray ID when there is one (it is what Cloudflare's own logs
 * show), else a random one. The response carries it as X-Request-Id and error envelopes as
 * `request_id`.
 */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ray = c.req.header("cf-ray");
  const id = ray && /^[A-Za-z0-9-]{1,64}$/.test(ray) ? ray : `req_${randomToken(12)}`;
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
  // A handler that built its own Response (static assets, raw HTML) still carries the id.
  if (!c.res.headers.has("X-Request-Id")) c.res.headers.set("X-Request-Id", id);
};
