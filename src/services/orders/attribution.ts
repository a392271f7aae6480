/**
 * Revenue attribution: an order is credited to the message of the contact's last human click
 * (last_click) or last human open or click (last_touch) within the window before the order, decided
 * once, in the statement that records the order, and stored with it (attributed_message_id,
 * attributed_at, attribution) so that a later settings change rewrites nothing. Machine opens and
 * scanner clicks never set a message's open or click times (events/apply/message.ts), so they never
 * earn revenue. A message's last touch at or before the order is its last one if that is not later,
 * else its first one: an imported order with a past date is attributed by that date.
 */
import type { AttributionSettings } from "../settings/attribution";

const DAY_MS = 86_400_000;

/** The label stored with the order, e.g. `last_click:5d`. */
export const attributionLabel = (rule: AttributionSettings) => `${rule.model}:${rule.window_days}d`;

/** The time of message m's last qualifying touch at or before `at` (an SQL expression), or NULL. */
function touchSql(rule: AttributionSettings, at: string): string {
  const click = `CASE WHEN m.last_clicked_at <= ${at} THEN m.last_clicked_at WHEN m.first_clicked_at <= ${at} THEN m.first_clicked_at END`;
  if (rule.model === "last_click") return click;
  const open = `CASE WHEN m.last_opened_at <= ${at} THEN m.last_opened_at WHEN m.first_opened_at <= ${at} THEN m.first_opened_at END`;
  return `nullif(max(coalesce(${click}, 0), coalesce(${open}, 0)), 0)`;
}

/**
 * A scalar subquery: the attributed message's id (`column` "id") or the touch time ("at") for an
 * order of `contact` at `at`, in organization `org` (each an SQL expression: a bound parameter or a
 * column of the inserted row). Uses the messages (organization_id, contact_id) index.
 */
export function attributedSql(
  rule: AttributionSettings,
  exprs: { org: string; contact: string; at: string },
  column: "id" | "at",
): string {
  const touch = touchSql(rule, exprs.at);
  const windowMs = Math.trunc(rule.window_days) * DAY_MS;
  return `(SELECT ${column === "id" ? "m.id" : touch} FROM messages m
     WHERE m.organization_id = ${exprs.org} AND m.contact_id = ${exprs.contact}
       AND ${touch} >= ${exprs.at} - ${windowMs}
     ORDER BY ${touch} DESC, m.id DESC LIMIT 1)`;
}
