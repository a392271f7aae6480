/**
 * Warm-up: a new domain's daily volume follows a ramp (start_per_day, times `growth` each day, up to
 * max_per_day). The SEND consumer counts each domain's sends per UTC day; mail past today's
 * allowance goes back to pending with reason `warmup` and is sent the next day.
 */
export interface Warmup {
  start_per_day: number;
  growth: number;
  max_per_day: number;
  /** When the ramp started (epoch ms): day 0. */
  started_at: number;
}

const DAY_MS = 86_400_000;
export const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The allowance of the UTC day of `at`: start x growth^days since the start, capped. */
export function allowanceOn(w: Warmup, at: number): number {
  const days = Math.max(0, Math.floor(at / DAY_MS) - Math.floor(w.started_at / DAY_MS));
  return Math.min(w.max_per_day, Math.floor(w.start_per_day * w.growth ** Math.min(days, 400)));
}

/** The ramp's first days, for the domain page's chart. */
export function ramp(w: Warmup, days = 14): { day: number; allowance: number }[] {
  return Array.from({ length: days }, (_, day) => ({
    day,
    allowance: allowanceOn(w, w.started_at + day * DAY_MS),
  }));
}

/** Seconds until the next UTC midnight (at least one). */
export const untilTomorrow = (at: number) => Math.max(1, Math.ceil((DAY_MS - (at % DAY_MS)) / 1000));
