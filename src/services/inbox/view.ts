import type { interactions, notifications } from "../../db/schema";
import { INTERACTION_STATUSES, INTERACTION_TYPES } from "../../db/schema";
import { iso } from "../../lib/clock";

export type InteractionRow = typeof interactions.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
export type InteractionType = (typeof INTERACTION_TYPES)[number];
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];
export { INTERACTION_STATUSES, INTERACTION_TYPES };

/** The contact an inbox item is about, enough to show it in a list. */
export interface ContactSummary {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
}

/** The public shape of an interaction (API.md, Inbox). */
export function interactionView(r: InteractionRow) {
  return {
    id: r.id,
    type: r.type,
    title: r.title,
    body: r.body,
    contact_id: r.contactId,
    status: r.status,
    assignee_id: r.assigneeId,
    next_action_at: iso(r.nextActionAt),
    notified_at: iso(r.notifiedAt),
    message_id: r.messageId,
    scenario_id: r.scenarioId,
    rule_id: r.ruleId,
    created_at: iso(r.createdAt) as string,
    updated_at: iso(r.updatedAt) as string,
  };
}
export type InteractionView = ReturnType<typeof interactionView>;

/** An inbox item: the interaction and a summary of its contact. */
export const inboxItemView = (r: InteractionRow, contact: ContactSummary | null) => ({
  ...interactionView(r),
  contact,
});

export function notificationView(n: NotificationRow) {
  return {
    id: n.id,
    user_id: n.userId,
    interaction_id: n.interactionId,
    title: n.title,
    body: n.body,
    read_at: iso(n.readAt),
    created_at: iso(n.createdAt) as string,
  };
}

/**
 * The interaction's version for optimistic concurrency, as an HTTP entity tag. updated_at only
 * ever increases (see `bumpUpdatedAt`), so it identifies a version.
 */
export const etagOf = (r: InteractionRow) => `"${r.updatedAt}"`;

/**
 * Parse an If-Match header into the updated_at versions it accepts: `"<ms>"` (our ETag), `W/"<ms>"`,
 * or an ISO-8601 updated_at. `*` (any version) answers null: no precondition. Unparseable -> [].
 */
export function parseIfMatch(header: string | undefined): number[] | null {
  if (header === undefined || header.trim() === "" || header.trim() === "*") return null;
  const out: number[] = [];
  for (const raw of header.split(",")) {
    const tag = raw
      .trim()
      .replace(/^W\//, "")
      .replace(/^"(.*)"$/, "$1");
    const ms = /^\d+$/.test(tag) ? Number(tag) : Date.parse(tag);
    if (Number.isFinite(ms)) out.push(ms);
  }
  return out;
}
