/**
 * The provider seam: one file per email provider (ses.ts, brevo.ts, log.ts), each taking a fully
 * composed message and answering a tagged result instead of throwing, so the SEND consumer can
 * decide between retry (transient) and recorded failure (permanent) without knowing the provider.
 */
import { networkFailure, permanent, type Result, retryable } from "../lib/result";

export type ProviderName = "log" | "ses" | "brevo";

/** A composed message, ready to hand over. Every header value here has been checked for CR/LF. */
export interface OutboundEmail {
  /** Our messages.id: also in the Message-ID, the custom id header and the provider tags. */
  messageId: string;
  organizationId: string;
  /** The ledger's idempotency key (SHA-256 hex): stable across retries of the same send. */
  idempotencyKey: string;
  from: { email: string; name?: string | null };
  to: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  /** Extra headers already in `raw` (List-Unsubscribe, the custom id header...), for JSON APIs. */
  headers: Record<string, string>;
  /** The exact RFC 5322 message (CRLF line endings) for providers that take raw MIME. */
  raw: string;
  /** The sender's own tags (POST /send `tags`): SES EmailTags, Brevo tags. */
  tags?: string[];
}

export interface SendOptions {
  /** Aborts the provider call (the consumer's per-call timeout). */
  signal?: AbortSignal;
}

/** The provider's message id, or a retryable or permanent failure (lib/result.ts). */
export type SendResult = Result<{ externalId: string }>;

export interface EmailProvider {
  readonly name: ProviderName;
  send(email: OutboundEmail, options?: SendOptions): Promise<SendResult>;
}

export { permanent, retryable };

/** Provider reasons end up in the ledger and the API: keep them one line and bounded. */
export const oneLine = (s: string, max = 500) => s.replace(/\s+/g, " ").trim().slice(0, max);

/** A provider's answer body as a JSON object; an empty or non-JSON body (a proxy's error page) is {}. */
export async function readJsonBody(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text().catch(() => "");
  try {
    const json: unknown = text ? JSON.parse(text) : {};
    return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Make the provider's HTTP call: a thrown fetch (network, timeout) is retryable; an answer is mapped. */
export async function callProvider(
  provider: ProviderName,
  call: () => Promise<Response>,
  map: (res: Response) => Promise<SendResult>,
): Promise<SendResult> {
  let res: Response;
  try {
    res = await call();
  } catch (e) {
    return networkFailure(provider, e);
  }
  return map(res);
}
