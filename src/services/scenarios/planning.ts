/**
 * Send-time planning: the send window, send days and time zone of a scenario, correct across DST.
 * Pure functions of (instant, window): the SequenceDO, the ENROLL consumer and the simulator all
 * plan with them, so the simulation shows exactly what the engine would do.
 */

export const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type DayName = (typeof DAY_NAMES)[number];

import { DAY_MS, MINUTE_MS, localDay, localParts, zonedInstant } from "../../lib/timezone";

/** Re-exported for the engine, which plans with these. */
export { DAY_MS, localDay, MINUTE_MS };

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
