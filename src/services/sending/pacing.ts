import { now } from "../../lib/clock";

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where a pacer stands: the next free send slot of the account, epoch ms. */
export interface Bucket {
  next: number;
}

/**
 * Slots for `n` sends of one account at `ratePerSecond`, `1000 / rate` ms apart, from the account's
 * next free slot: only the slots that start within `maxWaitMs` are taken. `offsets` are the waits
 * (ms from `at`) of the slots taken; `retryAfterMs` is when the first send left without a slot may
 * come back (null when all got one). Pure: the pacer Durable Object and the in-memory pacer share it.
 */
export function reserveSlots(
  bucket: Bucket,
  at: number,
  ratePerSecond: number,
  n: number,
  maxWaitMs: number,
): Reservation {
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0)
    return { offsets: Array.from({ length: n }, () => 0), retryAfterMs: null };
  const interval = 1000 / ratePerSecond;
  let slot = Math.max(at, bucket.next);
  const offsets: number[] = [];
  while (offsets.length < n && slot - at <= maxWaitMs) {
    offsets.push(Math.round(slot - at));
    slot += interval;
  }
  bucket.next = slot;
  return { offsets, retryAfterMs: offsets.length < n ? Math.ceil(slot - at) : null };
}

export interface Reservation {
  offsets: number[];
  retryAfterMs: number | null;
}

/**
 * Send-rate pacing per provider account (a token bucket): SEND consumers run concurrently, and
 * each batch asks the account's pacer for as many slots as it has sends for that account.
 */
export interface Pacer {
  reserve(account: string, ratePerSecond: number, n: number, maxWaitMs: number): Promise<Reservation>;
}

/** One isolate's pacer (tests, and a deployment without the PACER binding). */
export function memoryPacer(): Pacer {
  const buckets = new Map<string, Bucket>();
  return {
    async reserve(account, rate, n, maxWaitMs) {
      const t = now();
      if (buckets.size > 1000) for (const [k, b] of buckets) if (b.next < t) buckets.delete(k);
      const bucket = buckets.get(account) ?? { next: t };
      buckets.set(account, bucket);
      return reserveSlots(bucket, t, rate, n, maxWaitMs);
    },
  };
}

/**
 * The account-wide pacer: one PacerDO per provider account (`idFromName(account)`), so the rate
 * holds across every concurrent SEND consumer. One RPC per account per batch.
 */
export function durablePacer(ns: Env["PACER"]): Pacer {
  return {
    reserve(account, rate, n, maxWaitMs) {
      if (!Number.isFinite(rate) || rate <= 0)
        return Promise.resolve({ offsets: Array.from({ length: n }, () => 0), retryAfterMs: null });
      return ns.get(ns.idFromName(account)).reserve(rate, n, maxWaitMs);
    },
  };
}
