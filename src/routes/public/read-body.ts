import type { Context } from "hono";
import type { AppEnv } from "../../app-env";

/** A public post's fields: form-urlencoded, multipart or JSON; every value as a string. Null: unreadable. */
export async function readFields(c: Context<AppEnv>): Promise<Record<string, string> | null> {
  const type = (c.req.header("Content-Type") ?? "").toLowerCase();
  try {
    if (type.startsWith("application/json")) {
      const body = await c.req.json();
      if (!body || typeof body !== "object" || Array.isArray(body)) return null;
      return Object.fromEntries(
        Object.entries(body as Record<string, unknown>).flatMap(([k, v]) =>
          typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? [[k, String(v)]] : [],
        ),
      );
    }
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
      const form = await c.req.formData();
      const out: Record<string, string> = {};
      for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
      return out;
    }
  } catch {
    return null;
  }
  return null;
}
