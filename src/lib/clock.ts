/**
 * The one source of "now" for services, queues, crons and Durable Objects. Tests move it with
 * `setClock` (the Worker, its Durable Objects and the tests share one isolate under vitest-plugin).
 */
export interface Clock {
  now(): number;
}

const system: Clock = { now: () => Date.now() };
let current: Clock = system;

export function now(): number {
  return current.now();
}

/** Test hook: pin time to a fixed instant (ms) or a custom clock; `resetClock()` restores the system clock. */
export function setClock(at: number | Clock): void {
  current = typeof at === "number" ? { now: () => at } : at;
}

export function resetClock(): void {
  current = system;
}

export const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
