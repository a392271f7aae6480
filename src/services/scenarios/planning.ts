/**
 * Send-time planning: the send window, send days and time zone of a scenario, correct across DST.
 * Pure functions of (instant, window): the SequenceDO, the ENROLL consumer and the simulator all
 * plan with them, so the simulation shows exactly what the engine would do.
 */

export const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type DayName = (typeof DAY_NAMES)[number];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Where and when a contact may receive mail. */
export interface SendWindow {
  /** IANA zone the window is read in (the contact's, else the scenario's, else UTC). */
  timezone: string;
  /** Minutes after local midnight, start inclusive. */
  startMinute: number;
  /** Minutes after local midnight, end exclusive (1440 = end of the day). */
  endMinute: number;
  /** Allowed local weekdays (0 = Sunday); null = every day. */
  days: ReadonlySet<number> | null;
}

/** "09:30" -> 570; "24:00" -> 1440 (only meaningful as an end). */
export function parseClock(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`not a HH:MM time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export const formatClock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

export function windowOf(input: {
  timezone: string | null;
  start: string | null;
  end: string | null;
  days: readonly string[] | null;
}): SendWindow {
  const days = input.days?.length
    ? new Set(input.days.map((d) => DAY_NAMES.indexOf(d as DayName)).filter((d) => d >= 0))
    : null;
  return {
    timezone: input.timezone || "UTC",
    startMinute: input.start ? parseClock(input.start) : 0,
    endMinute: input.end ? parseClock(input.end) : 1440,
    days: days && days.size > 0 && days.size < 7 ? days : null,
  };
}

interface LocalParts {
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

/** Civil date `days` after (year, month, day), with its weekday (0 = Sunday). */
function addDays(year: number, month: number, day: number, days: number) {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}

/** "YYYY-MM-DD": the local day of `t` in `tz` (the daily cap counts per scenario and local day). */
export function localDay(t: number, tz: string): string {
  const p = localParts(t, tz);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** Local midnight that starts the day after `t`'s local day in `tz`. */
export function nextLocalMidnight(t: number, tz: string): number {
  const p = localParts(t, tz);
  const d = addDays(p.year, p.month, p.day, 1);
  return zonedInstant(d.year, d.month, d.day, 0, tz);
}

/**
 * The earliest instant >= t inside the window on an allowed day, read in the window's zone.
 * Each candidate day's bounds are computed as instants on that very day, so a window keeps its
 * local hours on both sides of a DST change.
 */
export function nextAllowed(t: number, w: SendWindow): number {
  if (w.startMinute <= 0 && w.endMinute >= 1440 && !w.days) return t;
  const p = localParts(t, w.timezone);
  for (let i = 0; i <= 8; i++) {
    const d = addDays(p.year, p.month, p.day, i);
    if (w.days && !w.days.has(d.weekday)) continue;
    const start = zonedInstant(d.year, d.month, d.day, w.startMinute, w.timezone);
    const endDay = w.endMinute >= 1440 ? addDays(d.year, d.month, d.day, 1) : d;
    const end = zonedInstant(endDay.year, endDay.month, endDay.day, w.endMinute % 1440, w.timezone);
    if (t < start) return start;
    if (t < end) return t;
  }
  // Unreachable with at least one allowed day; never plan into the past.
  return t;
}

/** True when `t` may be sent at. */
export const isAllowed = (t: number, w: SendWindow) => nextAllowed(t, w) === t;
