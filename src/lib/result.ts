/**
 * Success and failure for everything that leaves the Worker (email providers, SMS, outgoing
 * webhooks, the SNS certificate fetch) and what a queue consumer does with a message. One
 * vocabulary: a failure is retryable (a later attempt may succeed: network, timeout, 408, 429,
 * 5xx) or permanent (the other side refused this input); a message is acked or retried with
 * backoff.
 */

export interface Failure {
  ok: false;
  retryable: boolean;
  reason: string;
  /** A wait the other side asked for (Retry-After, Brevo's x-sib-ratelimit-reset), seconds. */
  retryAfterSeconds?: number;
  /** The HTTP status that answered, when one did. */
  status?: number;
}

/** `{ ok: true, ...value }` or a Failure. */
export type Result<T extends object = object> = ({ ok: true } & T) | Failure;

export function retryable(reason: string, retryAfterSeconds?: number, status?: number): Failure {
  return {
    ok: false,
    retryable: true,
    reason,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(status !== undefined ? { status } : {}),
  };
}

export function permanent(reason: string, status?: number): Failure {
  return { ok: false, retryable: false, reason, ...(status !== undefined ? { status } : {}) };
}

/** 408, 429 and 5xx may pass on a later attempt; any other refusal will not. */
export const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** A fetch that threw before any answer: timeouts and network errors are transient. */
export function networkFailure(label: string, e: unknown): Failure {
  const name = e instanceof Error ? e.name : "";
  if (name === "TimeoutError" || name === "AbortError") return retryable(`${label}: request timed out`);
  return retryable(`${label}: network error: ${e instanceof Error ? e.message : String(e)}`);
}

/** What a queue consumer does with one message once its work is done or has failed. */
export type Disposition =
  | { action: "ack"; note?: string }
  /** backoff: false re-sends after retryAfterSeconds exactly (a pacing wait, not a failure). */
  | { action: "retry"; reason: string; retryAfterSeconds?: number; backoff?: boolean };

export const ACK: Disposition = { action: "ack" };

/** Queues accept delays up to 12 hours. */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;

export interface BackoffOptions {
  /** The first delay's upper bound, seconds. */
  baseSeconds?: number;
  maxSeconds?: number;
  random?: () => number;
}

/**
 * The delay before the n-th delivery (1-based) of a failed message: exponential with "equal
 * jitter", in [cap/2, cap] with cap = base * 2^(n-1) bounded by maxSeconds, never below the other
 * side's own retry-after, never above the queue's 12 hours. Jitter spreads the retries of a
 * throttled batch so they do not all come back at once. Every consumer retries through this.
 */
export function backoffSeconds(
  attempt: number,
  retryAfterSeconds?: number,
  opts: BackoffOptions = {},
): number {
  const base = opts.baseSeconds ?? 4;
  const max = opts.maxSeconds ?? 900;
  const random = opts.random ?? Math.random;
  const cap = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.ceil(cap / 2 + random() * (cap / 2));
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, jittered, Math.ceil(retryAfterSeconds ?? 0)));
}
