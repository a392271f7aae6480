/**
 * Wall-clock arithmetic in IANA time zones with Intl only (workerd has no tz database API):
 * the local reading of an instant, the UTC offset at an instant, and the instant a local wall time
 * names, correct across DST gaps and overlaps. Used by send-time planning and the inbox due buckets.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock reading of instant `t` in `tz`. */
export function localParts(t: number, tz: string): LocalParts {
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(tz).formatToParts(new Date(t))) {
    if (p.type in out) out[p.type as keyof LocalParts] = Number(p.value);
  }
  if (out.hour === 24) out.hour = 0;
  return out;
}

/** UTC offset of `tz` at instant `t`, in ms (local = utc + offset). */
export function offsetAt(t: number, tz: string): number {
  const p = localParts(t, tz);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `tz` reads `minute` minutes after midnight of the civil
 * date (year, month, day). A wall time that happens twice (autumn) resolves to its first
 * occurrence; one that does not exist (spring gap) resolves to the end of the gap.
 */
export function zonedInstant(year: number, month: number, day: number, minute: number, tz: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minute);
  // At most one transition lies within a day of any wall time: the offsets a day apart bracket it.
  const before = offsetAt(wall - DAY_MS, tz);
  const after = offsetAt(wall + DAY_MS, tz);
  const valid = [...new Set([before, after])]
    .map((o) => wall - o)
    .filter((t) => offsetAt(t, tz) === wall - t);
  if (valid.length) return Math.min(...valid);
  // In the gap: find the transition instant between the two readings, to the minute.
  let lo = Math.min(wall - before, wall - after);
  let hi = Math.max(wall - before, wall - after);
  const startOffset = offsetAt(lo, tz);
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetAt(mid, tz) === startOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** "YYYY-MM-DD": the local day of `t` in `tz` (the daily cap counts per scenario and local day). */
export function localDay(t: number, tz: string): string {
  const p = localParts(t, tz);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** A form's datetime-local value ("2026-12-24T09:30", no zone) read in `tz`; null when it does not parse. */
export function wallClockInstant(value: string, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  return zonedInstant(y, mo, d, h * 60 + mi, tz);
}
