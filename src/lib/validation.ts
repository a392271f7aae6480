import { z } from "@hono/zod-openapi";
import { inspectJson } from "./json-shape";

const tzCache = new Map<string, boolean>();

/** True when `tz` is an IANA time zone the runtime knows. */
/** A BCP 47 language tag as contacts and templates carry it: `fr`, `fr-CA`, `pt-BR`, `zh-Hant`. */
export const localeField = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/, "must be a language tag such as fr or fr-CA");

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

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

/**
 * A one-line string that may end up in a mail header or on screen (names, subjects, tags): no
 * control character at all, so no CR/LF header injection and nothing MIME cannot carry.
 */
export const headerSafe = (max = 998) =>
  z.string().max(max).regex(NO_CONTROL, "must not contain control characters such as CR, LF or NUL");

export const emailField = z
  .string()
  .trim()
  .refine(isValidEmail, "must be a valid email address")
  .openapi({ format: "email", example: "ada@example.com" });

export const timezoneField = z
  .string()
  .refine(isValidTimezone, "must be an IANA time zone such as Europe/Paris")
  .openapi({ example: "Europe/Paris" });

export const tagsField = z.array(headerSafe(100).min(1)).max(100);

/** Free-form JSON values (attributes, event properties) nest at most this deep. */
export const MAX_JSON_DEPTH = 10;
const MAX_JSON_BYTES = 32 * 1024;

/**
 * A free-form JSON object: one-line keys, any values (no control characters in strings), nested at most MAX_JSON_DEPTH levels (the
 * object itself is level 1) and at most 32 KB once serialized. SQLite's JSON functions and every
 * later import or send can handle whatever this accepts.
 */
export const jsonObject = () =>
  z.record(headerSafe(200), z.unknown()).superRefine((value, ctx) => {
    const problem = inspectJson(value, MAX_JSON_DEPTH);
    if (problem)
      ctx.addIssue({
        code: "custom",
        path: problem.path ? problem.path.split(".") : [],
        message: problem.message,
      });
    else if (JSON.stringify(value).length > MAX_JSON_BYTES)
      ctx.addIssue({ code: "custom", message: "must be at most 32 KB as JSON" });
  });
export const attributesField = jsonObject();
