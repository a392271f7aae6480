import { sha256Hex, timingSafeEqual } from "../../../lib/crypto";
import type { Tenant } from "../../../lib/tenant";
import { storeEvents, type RawEventInput } from "./store";
import { brevoDedupKey, brevoOccurredAt } from "../normalize/brevo";
import { getSettings, putSettings } from "../../organizations/store";
import { ipAllowed } from "./ip-allowlist";
import { refuse, type WebhookOutcome } from "./outcome";
import { parseJson } from "../../../lib/json";

/**
 * Per-organization checks on top of the path token (org settings key "brevo_webhook"). Brevo signs
 * nothing, so an organization may add a bearer token (Brevo's `auth: {type: "bearer", token}`), basic
 * auth (credentials in the webhook URL) and/or an IP allowlist. Secrets are kept as SHA-256 only.
 */
export interface BrevoWebhookSettings {
  auth:
    | { type: "none" }
    | { type: "bearer"; token_sha256: string }
    | { type: "basic"; username: string; password_sha256: string };
  /** CIDR ranges or addresses; empty means any. Brevo's: 1.179.112.0/20, 172.246.240.0/20. */
  allowed_ips: string[];
}

const SETTINGS_KEY = "brevo_webhook";
const DEFAULTS: BrevoWebhookSettings = { auth: { type: "none" }, allowed_ips: [] };

/** The most events one delivery may carry. */
export const MAX_BREVO_EVENTS = 10_000;

export const getBrevoWebhookSettings = (tenant: Tenant) => getSettings(tenant, SETTINGS_KEY, DEFAULTS);

/** Set the checks; plain secrets in, hashes stored. */
export async function putBrevoWebhookSettings(
  tenant: Tenant,
  input: {
    auth:
      | { type: "none" }
      | { type: "bearer"; token: string }
      | { type: "basic"; username: string; password: string };
    allowed_ips: string[];
  },
): Promise<BrevoWebhookSettings> {
  const a = input.auth;
  const auth: BrevoWebhookSettings["auth"] =
    a.type === "bearer"
      ? { type: "bearer", token_sha256: await sha256Hex(a.token) }
      : a.type === "basic"
        ? { type: "basic", username: a.username, password_sha256: await sha256Hex(a.password) }
        : { type: "none" };
  const settings = { auth, allowed_ips: input.allowed_ips };
  await putSettings(tenant, SETTINGS_KEY, settings);
  return settings;
}

async function authorized(auth: BrevoWebhookSettings["auth"], header: string | null): Promise<boolean> {
  if (auth.type === "none") return true;
  if (!header) return false;
  if (auth.type === "bearer") {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return !!m?.[1] && timingSafeEqual(await sha256Hex(m[1]), auth.token_sha256);
  }
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  let decoded = "";
  try {
    decoded = m?.[1] ? atob(m[1]) : "";
  } catch {
    return false;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  // Both compared, whatever the first says, so the time spent does not tell which one was wrong.
  const userOk = timingSafeEqual(decoded.slice(0, colon), auth.username);
  const passOk = timingSafeEqual(await sha256Hex(decoded.slice(colon + 1)), auth.password_sha256);
  return userOk && passOk;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** One object or an array of objects, each with an `event` name; null when the body is anything else. */
function parseEvents(body: string): Record<string, unknown>[] | null {
  const json = parseJson<unknown>(body, undefined);
  if (json === undefined) return null;
  const items = Array.isArray(json) ? json : [json];
  return items.every(
    (i) => isObject(i) && typeof i.event === "string" && i.event.length > 0 && i.event.length <= 100,
  )
    ? (items as Record<string, unknown>[])
    : null;
}

/**
 * One Brevo webhook delivery to /webhooks/brevo/:token: the organization's IP allowlist and
 * credentials are checked before the body is read as JSON; a body that is not one event object or an
 * array of them answers 400 and stores nothing; otherwise every event is stored (deduplicated on
 * message-id, event, ts_epoch) and queued, then 200.
 */
export async function ingestBrevoDelivery(
  tenant: Tenant,
  queue: Queue,
  body: string,
  headers: Headers,
  orgSettings?: Record<string, unknown>,
): Promise<WebhookOutcome> {
  const settings = orgSettings
    ? { ...DEFAULTS, ...((orgSettings[SETTINGS_KEY] as Partial<BrevoWebhookSettings> | undefined) ?? {}) }
    : await getBrevoWebhookSettings(tenant);
  if (settings.allowed_ips.length && !ipAllowed(headers.get("CF-Connecting-IP"), settings.allowed_ips)) {
    return refuse("FORBIDDEN", "the sender's address is not in this organization's allowlist");
  }
  if (!(await authorized(settings.auth, headers.get("Authorization")))) {
    return refuse("UNAUTHORIZED", "missing or wrong webhook credentials");
  }
  const items = parseEvents(body);
  if (!items) return refuse("BAD_REQUEST", "body must be a Brevo event object or an array of them");
  if (items.length > MAX_BREVO_EVENTS)
    return refuse("BAD_REQUEST", `at most ${MAX_BREVO_EVENTS} events per delivery`);

  const inputs: RawEventInput[] = [];
  for (const item of items) {
    const occurredAt = brevoOccurredAt(item);
    // Only events without a timestamp need a body hash to tell deliveries apart.
    const hash = occurredAt === undefined ? await sha256Hex(JSON.stringify(item)) : "";
    inputs.push({
      source: "brevo",
      dedupKey: brevoDedupKey(item, hash),
      type: String(item.event),
      occurredAt,
      raw: item,
    });
  }
  const res = await storeEvents(tenant, queue, inputs);
  return { status: 200, body: { ok: true, stored: res.stored, duplicates: res.duplicates } };
}
