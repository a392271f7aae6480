/**
 * Report days in the organization's timezone: each local day as the UTC instants it spans (23 or
 * 25 hours across a DST change), and the id range of the rows made in it (ids start with their
 * creation time in hex, lib/ids.ts, so a day's messages are a range of the primary key).
 */
import { ApiError } from "../../lib/errors";

export interface ReportDay {
  /** YYYY-MM-DD in the organization's timezone. */
  day: string;
  lo: number;
  hi: number;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC offset (ms) of `tz` at instant `at`. */
function offsetAt(tz: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const v = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(v("year"), v("month") - 1, v("day"), v("hour") % 24, v("minute"), v("second"));
  return local - Math.floor(at / 1000) * 1000;
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export const isCalendarDate = (day: string) => {
  if (!DATE.test(day)) return false;
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(day);
};

/** The UTC instant of local midnight of `day` in `tz`. */
export function localMidnight(day: string, tz: string): number {
  const m = DATE.exec(day);
  if (!m) throw new ApiError("VALIDATION_ERROR", `not a date: ${day}`, [{ message: "use YYYY-MM-DD" }]);
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Two passes: the offset at the guess, then at the corrected instant (DST edges).
  const first = utc - offsetAt(tz, utc);
  return utc - offsetAt(tz, first);
}

/** The local date (YYYY-MM-DD) of an instant. */
export const localDate = (at: number, tz: string) =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);

const nextDate = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** Every local day from `from` to `to` inclusive (at most `max`). */
export function reportDays(from: string, to: string, tz: string, max = 400): ReportDay[] {
  const out: ReportDay[] = [];
  for (let d = from; d <= to && out.length < max; d = nextDate(d)) {
    out.push({ day: d, lo: localMidnight(d, tz), hi: localMidnight(nextDate(d), tz) });
  }
  return out;
}

/** The Monday of a date's ISO week (weeks start on Monday). */
export function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - dow * DAY_MS).toISOString().slice(0, 10);
}

/** The id prefix of rows created at `at` (ids are `<prefix>_<12 hex digits of ms><random>`). */
export const idAt = (prefix: string, at: number) =>
  `${prefix}_${Math.max(0, Math.floor(at)).toString(16).padStart(12, "0")}`;
