import { z } from "zod";

const configSchema = z.object({
  ADMIN_TOKEN: z.string().min(16, "ADMIN_TOKEN must be at least 16 characters"),
  ENCRYPTION_KEY: z
    .string()
    .min(32, "ENCRYPTION_KEY must be at least 32 characters (32 random bytes, base64)"),
  PUBLIC_BASE_URL: z.url().default("http://localhost:8787"),
  SES_ENDPOINT: z.string().optional().default(""),
  BREVO_API_BASE: z.string().optional().default(""),
  DOH_ENDPOINT: z.string().optional().default(""),
  SYSTEM_FROM_EMAIL: z.string().optional().default(""),
});

export type Config = z.infer<typeof configSchema>;

/**
 * Validated configs by the values they came from. workerd may hand each request an env object of its
 * own, so a cache by object alone parsed the schema on every request (1% of the webhook's CPU).
 */
const cache = new Map<string, Config>();
const KEYS = Object.keys(configSchema.shape) as (keyof Config)[];
const keyOf = (env: Env) =>
  KEYS.map((k) => {
    const v = (env as unknown as Record<string, unknown>)[k];
    return typeof v === "string" ? `${v.length}:${v}` : `-${typeof v}`;
  }).join("|");

let warned = false;
/**
 * RFC 8058 one-click unsubscribe needs an https List-Unsubscribe URL, and tracking links over http
 * leak tokens: an http PUBLIC_BASE_URL other than a local one is said once per isolate.
 */
export function warnInsecureBase(base: string): boolean {
  const url = new URL(base);
  const local =
    ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname) || url.hostname.endsWith(".localhost");
  if (url.protocol === "https:" || local) return false;
  if (!warned)
    console.warn(
      `PUBLIC_BASE_URL is ${base}: use https in production (RFC 8058 one-click unsubscribe requires it, and mailbox providers ignore an http List-Unsubscribe-Post)`,
    );
  warned = true;
  return true;
}

/**
 * The sender of the platform's own mail (sign-in links, reminders, rule emails without a sender):
 * SYSTEM_FROM_EMAIL, else noreply@ the public host. A host without a dot (localhost) makes no
 * valid address, so local mail goes from noreply@edge-mail.localhost (the log provider sends nothing).
 */
export function systemSender(config: Pick<Config, "SYSTEM_FROM_EMAIL" | "PUBLIC_BASE_URL">): string {
  if (config.SYSTEM_FROM_EMAIL.trim()) return config.SYSTEM_FROM_EMAIL.trim();
  const host = new URL(config.PUBLIC_BASE_URL).hostname;
  return host.includes(".") && !/^[\d.]+$/.test(host) ? `noreply@${host}` : "noreply@edge-mail.localhost";
}

/** Validate the Worker's string vars and secrets once per set of values. Throws with the variable's name. */
export function configOf(env: Env): Config {
  const key = keyOf(env);
  let config = cache.get(key);
  if (!config) {
    const parsed = configSchema.safeParse(env);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Worker configuration is invalid: ${issues}`);
    }
    config = { ...parsed.data, PUBLIC_BASE_URL: parsed.data.PUBLIC_BASE_URL.replace(/\/+$/, "") };
    // A handful of keys per isolate (one per deployed config); bounded all the same.
    if (cache.size >= 16) cache.clear();
    cache.set(key, config);
    warnInsecureBase(config.PUBLIC_BASE_URL);
  }
  return config;
}
