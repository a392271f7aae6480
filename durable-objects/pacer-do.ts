import { DurableObject } from "cloudflare:workers";
import { now } from "../src/lib/clock";
import { type Bucket, type Reservation, reserveSlots } from "../src/services/sending/pacing";

/**
 * One object per provider account (`idFromName("<organization>:<provider>")`): the account's send
 * slots, handed out to the SEND consumers that run concurrently. The bucket lives in memory: an
 * eviction resets it to "now", which lets at most one slot's worth of sends through early, and a
 * provider's own throttling is retried with backoff anyway. No storage, so no row is written.
 */
export class PacerDO extends DurableObject<Env> {
  private readonly bucket: Bucket = { next: 0 };

  /** Slots for `n` sends at `ratePerSecond` that start within `maxWaitMs` (see reserveSlots). */
  async reserve(ratePerSecond: number, n: number, maxWaitMs: number): Promise<Reservation> {
    return reserveSlots(this.bucket, now(), ratePerSecond, n, maxWaitMs);
  }
}
