import { isRetryableStatus } from "../lib/result";
import {
  callProvider,
  type EmailProvider,
  oneLine,
  permanent,
  readJsonBody,
  retryable,
  type SendResult,
} from "./types";

/** Decrypted Brevo credentials of one organization. */
export interface BrevoAccount {
  apiKey: string;
}

/** The header that carries our messages.id; Brevo echoes `X-Mailin-custom` in its webhook events. */
export const MESSAGE_ID_HEADER = "X-Edge-Mail-Id";

export const brevoBase = (override?: string) =>
  (override?.trim() || "https://api.brevo.com").replace(/\/+$/, "");

/** Brevo answers `<...@smtp-relay.mailin.fr>`; webhooks say the same with brackets: store it without. */
export const normalizeBrevoMessageId = (id: string) => id.trim().replace(/^<+/, "").replace(/>+$/, "");

/**
 * Brevo wants a UUID as idempotencyKey. The ledger key is a SHA-256 hex: its first 128 bits, shaped
 * as a name-based (v5-style) UUID, stay the same on every retry of the same send.
 */
export function idempotencyUuid(ledgerKey: string): string {
  const h = ledgerKey
    .replace(/[^0-9a-f]/gi, "")
    .toLowerCase()
    .padEnd(32, "0");
  const variant = ((Number.parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Brevo transactional API (`POST /v3/smtp/email`). Brevo builds its own MIME, so the parts and the
 * headers that matter (List-Unsubscribe, List-Unsubscribe-Post, our id header) go as JSON fields;
 * `headers.idempotencyKey` makes a retried request after a lost answer harmless (15-minute window).
 */
export function createBrevoProvider(
  account: BrevoAccount,
  options: { baseUrl?: string } = {},
): EmailProvider {
  const url = `${brevoBase(options.baseUrl)}/v3/smtp/email`;
  return {
    name: "brevo",
    async send(email, opts = {}) {
      const body = {
        sender: { email: email.from.email, ...(email.from.name ? { name: email.from.name } : {}) },
        to: [{ email: email.to }],
        ...(email.replyTo ? { replyTo: { email: email.replyTo } } : {}),
        subject: email.subject,
        htmlContent: email.html,
        textContent: email.text,
        headers: {
          ...email.headers,
          "X-Mailin-custom": email.messageId,
          idempotencyKey: idempotencyUuid(email.idempotencyKey),
        },
        tags: [`org:${email.organizationId}`, `msg:${email.messageId}`, ...(email.tags ?? [])],
      };
      return callProvider(
        "brevo",
        () =>
          fetch(url, {
            method: "POST",
            headers: {
              "api-key": account.apiKey,
              "Content-Type": "application/json",
              Accept: "application/json",
            },
            body: JSON.stringify(body),
            signal: opts.signal,
          }),
        brevoResult,
      );
    },
  };
}

/** Map a Brevo answer: messageId on 2xx; 429 waits for x-sib-ratelimit-reset; other 4xx are final. */
export async function brevoResult(res: Response): Promise<SendResult> {
  const json = await readJsonBody(res);
  if (res.ok) {
    const id = typeof json.messageId === "string" ? normalizeBrevoMessageId(json.messageId) : "";
    return id ? { ok: true, externalId: id } : retryable("brevo: answer without messageId");
  }
  const code = typeof json.code === "string" ? json.code : "";
  const message = typeof json.message === "string" ? json.message : "";
  const reason = oneLine(`brevo ${res.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`);
  if (res.status === 429) {
    // Brevo sends no Retry-After: x-sib-ratelimit-reset is the seconds until the window resets.
    const reset = Number(res.headers.get("x-sib-ratelimit-reset"));
    return retryable(reason, Number.isFinite(reset) && reset > 0 ? Math.ceil(reset) : undefined, 429);
  }
  if (isRetryableStatus(res.status)) return retryable(reason, undefined, res.status);
  return permanent(reason, res.status);
}
