import { now } from "../../lib/clock";

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Send-rate pacing per provider account: each send reserves the next free slot of its account,
 * 1000/rate ms after the previous one, and waits until it is due. The SEND queue runs with
 * `max_concurrency = 1` (wrangler.toml), so one consumer invocation at a time holds the pacer and the
 * rate holds account-wide; messages of one batch run concurrently with staggered starts.
 * Throttling that still happens (another sender on the same SES account) is retried with backoff.
 */
export class SendPacer {
  private readonly nextSlot = new Map<string, number>();
  constructor(private readonly sleep: Sleep = realSleep) {}

  /** Wait for the account's next slot; resolves with the wait in ms. A rate <= 0 or infinite never waits. */
  async acquire(account: string, ratePerSecond: number): Promise<number> {
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) return 0;
    const t = now();
    if (this.nextSlot.size > 1000) for (const [k, v] of this.nextSlot) if (v < t) this.nextSlot.delete(k);
    const slot = Math.max(t, this.nextSlot.get(account) ?? t);
    this.nextSlot.set(account, slot + 1000 / ratePerSecond);
    const wait = slot - t;
    if (wait > 0) await this.sleep(wait);
    return wait;
  }
}

export interface BackoffOptions {
  baseSeconds?: number;
  maxSeconds?: number;
  random?: () => number;
}

/** Queues accept delays up to 12 hours. */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;

/**
 * Exponential backoff with "equal jitter" for the n-th delivery (1-based): a delay in
 * [cap/2, cap] with cap = base * 2^(n-1), bounded by maxSeconds; never less than a provider's own
 * retry-after. Jitter spreads retries of a throttled batch so they do not all return together.
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
