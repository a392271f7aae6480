/**
 * Reads an EVENTS batch shares between its events: what every event of an organization reads the
 * same way (the enabled rules of a trigger, the journeys an event enters) is read once per batch
 * instead of once per event. A batch lasts seconds; a rule or a journey changed meanwhile is seen
 * by the next batch, as if the batch's events had arrived a moment earlier.
 */
import type { BatchReads, Tenant } from "./tenant";

export function batchReads(): BatchReads {
  const memo = new Map<string, Promise<unknown>>();
  return <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const known = memo.get(key);
    if (known) return known as Promise<T>;
    const fresh = read();
    memo.set(key, fresh);
    // A failed read is not kept: the next event reads again.
    fresh.catch(() => memo.delete(key));
    return fresh;
  };
}

/** The tenant's batch read of `key` when it has one (the EVENTS consumer's), else a plain read. */
export const readOnce = <T>(tenant: Tenant, key: string, read: () => Promise<T>): Promise<T> =>
  tenant.reads ? tenant.reads(key, read) : read();
