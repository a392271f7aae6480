/** Due-date buckets of the inbox, computed in the viewer's time zone. */

export const DUE_BUCKETS = ["overdue", "today", "week", "all"] as const;
export type DueBucket = (typeof DUE_BUCKETS)[number];

/** A half-open range of epoch milliseconds [from, to); a missing bound is open. */
export interface DueRange {
  from?: number;
  to?: number;
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

/** Wall-clock fields of the instant `ms` in `tz`. */
function wallClock(ms: number, tz: string) {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(tz).formatToParts(new Date(ms))) {
    if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  }
  return out;
}

/** How far `tz` is ahead of UTC at the instant `ms` (ms; negative west of Greenwich). */
export function utcOffset(ms: number, tz: string): number {
  const w = wallClock(ms, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant local midnight starts, `addDays` days after the local day containing `ms`.
 * Offsets are looked up twice because the offset at the UTC guess can differ from the offset at
 * local midnight itself when a DST change falls in between.
 */
export function startOfLocalDay(ms: number, tz: string, addDays = 0): number {
  const w = wallClock(ms, tz);
  const midnightAsUtc = Date.UTC(w.year, w.month - 1, w.day + addDays);
  const guess = midnightAsUtc - utcOffset(midnightAsUtc, tz);
  return midnightAsUtc - utcOffset(guess, tz);
}

/**
 * The next_action_at range of a bucket at `now` in `tz`:
 * - overdue: before now;
 * - today: local midnight to the next local midnight (items due earlier today are in both);
 * - week: the next seven local days, today included (a rolling week, not the calendar week, so
 *   that on a Sunday "week" still shows what is coming up).
 * DST days are 23 or 25 hours long: days are counted on the local calendar, never as 24 h.
 */
export function dueRange(bucket: DueBucket, now: number, tz: string): DueRange | null {
  switch (bucket) {
    case "overdue":
      return { to: now };
    case "today":
      return { from: startOfLocalDay(now, tz), to: startOfLocalDay(now, tz, 1) };
    case "week":
      return { from: startOfLocalDay(now, tz), to: startOfLocalDay(now, tz, 7) };
    case "all":
      return null;
  }
}
