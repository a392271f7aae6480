import { z } from "@hono/zod-openapi";

const tzCache = new Map<string, boolean>();

/** True when `tz` is an IANA time zone the runtime knows. */
export function isValidTimezone(tz: string): boolean {
  let ok = tzCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      ok = tz.length > 0 && tz.length <= 64;
    } catch {
      ok = false;
    }
    tzCache.set(tz, ok);
  }
  return ok;
}

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/u;

/** Pragmatic address check: one @, a dotted domain, no spaces, quotes, brackets or control characters. */
export function isValidEmail(email: string): boolean {
  return email.length <= 320 && EMAIL_RE.test(email) && !/[\r\n\t\0]/.test(email) && !email.includes("..");
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const NO_CRLF = /^[^\r\n]*$/;

/** A string that may end up in a mail header: CR and LF are refused (header injection). */
export const headerSafe = (max = 998) =>
  z.string().max(max).regex(NO_CRLF, "must not contain CR or LF characters");

export const emailField = z
  .string()
  .trim()
  .refine(isValidEmail, "must be a valid email address")
  .openapi({ format: "email", example: "ada@example.com" });

export const timezoneField = z
  .string()
  .refine(isValidTimezone, "must be an IANA time zone such as Europe/Paris")
  .openapi({ example: "Europe/Paris" });

export const tagsField = z.array(z.string().min(1).max(100)).max(100);
export const attributesField = z.record(z.string(), z.unknown());
