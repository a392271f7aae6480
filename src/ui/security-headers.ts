import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";

/**
 * Every HTML page: a strict Content-Security-Policy (scripts and styles only from the Worker, no
 * inline script, no framing), X-Frame-Options DENY, no referrer leaking tokens in URLs, no MIME
 * sniffing.
 */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function securityHeaders(headers: Headers) {
  headers.set("Content-Security-Policy", CSP);
  headers.set("X-Frame-Options", "DENY");
  headers.set("Referrer-Policy", "no-referrer");
  headers.set("X-Content-Type-Options", "nosniff");
}

/** Adds the headers to every HTML response that passes through. */
export const htmlSecurity: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // A page that set its own policy (the template preview frame) keeps it.
  if (
    c.res.headers.get("Content-Type")?.startsWith("text/html") &&
    !c.res.headers.has("Content-Security-Policy")
  )
    securityHeaders(c.res.headers);
};
