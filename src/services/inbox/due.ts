/** Due-date buckets of the inbox, computed in the viewer's time zone. */
import { localParts, zonedInstant } from "../../lib/timezone";

export const DUE_BUCKETS = ["overdue", "today", "week", "all"] as const;
export type DueBucket = (typeof DUE_BUCKETS)[number];

/** A half-open range of epoch milliseconds [from, to); a missing bound is open. */
export interface DueRange {
  from?: number;
  to?: number;
}

/** The instant local midnight starts, `addDays` local days after the local day containing `ms`. */
export function startOfLocalDay(ms: number, tz: string, addDays = 0): number {
  const p = localParts(ms, tz);
  return zonedInstant(p.year, p.month, p.day + addDays, 0, tz);
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
