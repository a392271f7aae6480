import { isRetryableStatus, networkFailure, permanent, type Result, retryable } from "../lib/result";
import { brevoBase } from "./brevo";

/**
 * Brevo transactional SMS: `POST {base}/v3/transactionalSMS/send` with the `api-key` header and
 * `{sender, recipient, content, type}`; Brevo answers `{messageId}`. (The older
 * `/v3/transactionalSMS/sms` path is deprecated.) `BREVO_API_BASE` overrides the base URL.
 */
export interface SmsInput {
  apiKey: string;
  /** Up to 11 alphanumeric characters or 15 digits. */
  sender: string;
  /** Mobile number with its country code. */
  recipient: string;
  content: string;
  type?: "transactional" | "marketing";
  /** Brevo tag, to find the message in Brevo's logs. */
  tag?: string;
}

/** Brevo's message id, or a retryable (network, timeout, 408, 429, 5xx) or permanent failure. */
export type SmsResult = Result<{ messageId: string }>;

export const SMS_TIMEOUT_MS = 10_000;

/** Digits with an optional leading +, 6 to 15 digits (Brevo's rule); spaces, dots, dashes and brackets dropped. */
export function normalizePhone(phone: string): string | null {
  const compact = phone.replace(/[\s().-]/g, "");
  return /^\+?\d{6,15}$/.test(compact) ? compact : null;
}

/** Send one SMS. Never throws: the result says whether to retry. */
export async function sendBrevoSms(
  input: SmsInput,
  opts: { baseUrl?: string; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<SmsResult> {
  const url = `${brevoBase(opts.baseUrl)}/v3/transactionalSMS/send`;
  const body = {
    sender: input.sender,
    recipient: input.recipient,
    content: input.content,
    type: input.type ?? "transactional",
    ...(input.tag ? { tag: input.tag } : {}),
  };
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, {
      method: "POST",
      headers: { "api-key": input.apiKey, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? SMS_TIMEOUT_MS),
    });
  } catch (e) {
    return networkFailure("brevo sms", e);
  }
  const text = await res.text().catch(() => "");
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON: classified by status below
  }
  if (res.ok) {
    const id = json.messageId;
    return { ok: true, messageId: typeof id === "number" || typeof id === "string" ? String(id) : "" };
  }
  const message = typeof json.message === "string" ? json.message : text.slice(0, 200);
  const reason = `brevo sms ${res.status}: ${message}`;
  if (res.status === 429) {
    const reset = Number(res.headers.get("x-sib-ratelimit-reset"));
    return retryable(reason, Number.isFinite(reset) && reset > 0 ? reset : undefined, 429);
  }
  if (isRetryableStatus(res.status)) return retryable(reason, undefined, res.status);
  return permanent(reason, res.status);
}
