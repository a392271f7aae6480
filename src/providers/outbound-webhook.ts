/**
 * Outbound webhooks signed per the Standard Webhooks spec (https://www.standardwebhooks.com):
 * headers `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`), keyed by a `whsec_<base64>` secret.
 * Any Standard Webhooks library (svix, standardwebhooks) verifies these. Targets are checked
 * against SSRF before every call. Used by the reminder job and the rules engine.
 */
import { now } from "../lib/clock";
import { isRetryableStatus, permanent, type Result, retryable } from "../lib/result";
import { timingSafeEqual } from "../lib/crypto";
import { newId } from "../lib/ids";

export const WEBHOOK_SECRET_PREFIX = "whsec_";
/** Receivers should refuse messages older or newer than this (the spec's recommendation). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
export const WEBHOOK_TIMEOUT_MS = 10_000;

const enc = new TextEncoder();

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

function secretBytes(secret: string): Uint8Array | null {
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  try {
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return raw.length >= 24 && raw.length <= 64 ? raw : null;
  } catch {
    return null;
  }
}

/** True when `secret` is `whsec_` + base64 of 24 to 64 bytes. */
export const isWebhookSecret = (secret: string) =>
  secret.startsWith(WEBHOOK_SECRET_PREFIX) && secretBytes(secret) !== null;

/** A new random signing secret, `whsec_` + base64 of 32 bytes. */
export function generateWebhookSecret(): string {
  const raw = new Uint8Array(32);
  crypto.getRandomValues(raw);
  return `${WEBHOOK_SECRET_PREFIX}${toBase64(raw)}`;
}

/** `v1,<signature>` of one message. Throws when the secret is not a whsec_ secret. */
export async function signWebhook(
  secret: string,
  msgId: string,
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const raw = secretBytes(secret);
  if (!raw) throw new Error("webhook secret must be whsec_ followed by base64 of 24-64 bytes");
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", key, enc.encode(`${msgId}.${timestampSeconds}.${body}`));
  return `v1,${toBase64(new Uint8Array(sig))}`;
}

/**
 * Verify a received message the way a Standard Webhooks receiver does: any of the space-separated
 * `v1,` signatures matches, and the timestamp is within the tolerance of now.
 */
export async function verifyWebhook(
  secret: string,
  headers: Headers,
  body: string,
  opts: { toleranceSeconds?: number } = {},
): Promise<boolean> {
  const id = headers.get("webhook-id");
  const ts = headers.get("webhook-timestamp");
  const signatures = headers.get("webhook-signature");
  if (!id || !ts || !signatures || !/^\d+$/.test(ts)) return false;
  const tolerance = opts.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(Math.floor(now() / 1000) - Number(ts)) > tolerance) return false;
  if (!secretBytes(secret)) return false;
  const expected = await signWebhook(secret, id, Number(ts), body);
  let ok = false;
  // Check every candidate (no early exit) so the time does not reveal which one matched.
  for (const candidate of signatures.split(" ")) if (timingSafeEqual(candidate, expected)) ok = true;
  return ok;
}

export interface WebhookDelivery {
  url: string;
  /** whsec_ signing secret. */
  secret: string;
  /** Event type, e.g. "interaction.reminders". */
  type: string;
  data: unknown;
  /** Message id (stable across retries of the same message, so receivers can dedupe). */
  id?: string;
  timeoutMs?: number;
  /** Injected fetch (tests, service bindings); the global fetch by default. */
  fetch?: typeof fetch;
}

/** Delivered (the receiver's 2xx status) or a retryable or permanent failure, with the message id either way. */
export type WebhookResult = Result<{ status: number }> & { id: string };

/**
 * POST a signed `{type, timestamp, data}` JSON message. Never throws: the result says whether it
 * was delivered and, when not, whether retrying makes sense. Redirects are not followed (a public
 * host could redirect to a private one).
 */
export async function sendWebhook(d: WebhookDelivery): Promise<WebhookResult> {
  const at = now();
  const id = d.id ?? newId("msg", at);
  const target = checkWebhookTarget(d.url);
  if (!target.ok) return { ...permanent(`refused target: ${target.reason}`), id };
  const body = JSON.stringify({ type: d.type, timestamp: new Date(at).toISOString(), data: d.data });
  const timestamp = Math.floor(at / 1000);
  let signature: string;
  try {
    signature = await signWebhook(d.secret, id, timestamp, body);
  } catch (e) {
    return { ...permanent((e as Error).message), id };
  }
  try {
    const res = await (d.fetch ?? fetch)(target.url.toString(), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "edge-mail-webhooks/1",
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signature,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(d.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return { ok: true, id, status: res.status };
    const reason = `receiver answered ${res.status}`;
    const failure = isRetryableStatus(res.status)
      ? retryable(reason, undefined, res.status)
      : permanent(reason, res.status);
    return { ...failure, id };
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    return { ...retryable(timedOut ? "timed out" : `network error: ${(e as Error).message}`), id };
  }
}

export type WebhookTargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Names that resolve inside a network rather than on the internet. */
const PRIVATE_SUFFIXES = [
  ".localhost",
  ".local",
  ".internal",
  ".localdomain",
  ".home.arpa",
  ".lan",
  ".intranet",
  ".corp",
];

/** IPv4 ranges that are not public unicast (RFC 6890 special-purpose and the like). */
const BLOCKED_V4: [base: string, bits: number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

const v4ToInt = (ip: string) => ip.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;

function isBlockedV4(ip: string): boolean {
  const n = v4ToInt(ip);
  return BLOCKED_V4.some(([base, bits]) => (n ^ v4ToInt(base)) >>> (32 - bits) === 0);
}

/** Expand an IPv6 literal (as the URL parser normalizes it) to its eight 16-bit groups. */
function v6Groups(ip: string): number[] | null {
  const [head = "", tail] = ip.split("::");
  const parse = (s: string) => (s ? s.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/**
 * Only global unicast IPv6 (2000::/3) is allowed, minus documentation (2001:db8::/32), Teredo
 * (2001::/32) and 6to4 (2002::/16), which can embed a private IPv4 address.
 */
function isBlockedV6(ip: string): boolean {
  const g = v6Groups(ip);
  if (!g) return true;
  const [a = 0, b = 0] = g;
  if (a < 0x2000 || a > 0x3fff) return true;
  return a === 0x2002 || (a === 0x2001 && (b === 0x0db8 || b === 0));
}

/**
 * SSRF guard for a webhook URL: https only, no credentials in the URL, and no loopback, private,
 * link-local, carrier-grade NAT, multicast or reserved address, nor a name that only resolves
 * inside a network (localhost, *.local, *.internal, single-label names). The WHATWG URL parser
 * has already normalized numeric hosts ("2130706433", "0x7f.1") to dotted quads here.
 * DNS answers are not checked: a Worker cannot resolve names, and its fetch cannot reach private
 * networks anyway; this check keeps the obvious targets out and gives a clear error at config time.
 */
export function checkWebhookTarget(raw: string): WebhookTargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a URL" };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "only https URLs are allowed" };
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL are not allowed" };
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[")) {
    return isBlockedV6(host.slice(1, -1))
      ? { ok: false, reason: "private or reserved IPv6 address" }
      : { ok: true, url };
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    return isBlockedV4(host)
      ? { ok: false, reason: "private, loopback or reserved IPv4 address" }
      : { ok: true, url };
  }
  if (host === "localhost" || !host.includes(".") || PRIVATE_SUFFIXES.some((s) => host.endsWith(s))) {
    return { ok: false, reason: "host name is not public" };
  }
  return { ok: true, url };
}
