// Does a cron expression fire at this minute? For the local cron ticker (scripts/dev.mjs), with
// croner, a maintained cron library that reads the same five-field syntax as Cloudflare's Cron
// Triggers, day names included (`0 3 * * MON`). UTC, like Cloudflare's scheduler.
import { Cron } from "croner";

const parsed = new Map();

export function matchesCron(expr, date) {
  let cron = parsed.get(expr);
  if (!cron) {
    cron = new Cron(expr, { timezone: "UTC", paused: true });
    parsed.set(expr, cron);
  }
  const minute = new Date(date);
  minute.setUTCSeconds(0, 0);
  return cron.match(minute);
}
