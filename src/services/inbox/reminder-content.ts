import { iso } from "../../lib/clock";
import { escapeHtml, liquidLiteral } from "../../lib/html";
import type { SendPayload } from "../ledger/types";

/** One due interaction as the reminder job reads it (joined with its assignee and contact). */
export interface DueReminder {
  id: string;
  organization_id: string;
  assignee_id: string;
  contact_id: string | null;
  type: string;
  title: string;
  body: string | null;
  status: string;
  next_action_at: number;
  message_id: string | null;
  scenario_id: string | null;
  rule_id: string | null;
  created_at: number;
  updated_at: number;
  assignee_email: string | null;
  assignee_name: string | null;
  contact_email: string | null;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The in-app notification the assignee sees in GET /api/v1/notifications. */
export function notificationContent(r: DueReminder) {
  const about = r.contact_email ? ` (${r.contact_email})` : "";
  return { title: clip(`Reminder: ${r.title}`, 300), body: `${r.type} due ${iso(r.next_action_at)}${about}` };
}

/**
 * The reminder email to the assignee, as a transactional ledger payload (no unsubscribe headers, no
 * suppression check: it goes to a team member, not a contact). CR/LF never reach the subject.
 */
export function reminderEmail(r: DueReminder, toEmail: string): SendPayload {
  const due = iso(r.next_action_at) as string;
  const subject = liquidLiteral(clip(`Reminder: ${r.title}`.replace(/[\r\n]+/g, " "), 200));
  const lines = [
    `Hi ${r.assignee_name ?? ""},`.replace(" ,", ","),
    "",
    `This follow-up is due: ${r.title}`,
    `Type: ${r.type}`,
    `Due: ${due}`,
    ...(r.contact_email ? [`Contact: ${r.contact_email}`] : []),
    ...(r.body ? ["", r.body] : []),
  ];
  const html = `<!doctype html><html><body>${lines
    .map((l) => (l === "" ? "<br>" : `<p>${escapeHtml(l)}</p>`))
    .join("")}<p style="color:#888">Interaction ${escapeHtml(r.id)}</p></body></html>`;
  return {
    to_email: toEmail,
    subject,
    html: liquidLiteral(html),
    text: liquidLiteral(lines.join("\n")),
    transactional: true,
    source: { interaction_id: r.id },
  };
}

/** One reminder in the webhook's `data.reminders` array. */
export function webhookReminder(r: DueReminder, notificationId: string) {
  return {
    notification_id: notificationId,
    interaction: {
      id: r.id,
      type: r.type,
      title: r.title,
      body: r.body,
      contact_id: r.contact_id,
      status: r.status,
      assignee_id: r.assignee_id,
      next_action_at: iso(r.next_action_at),
      message_id: r.message_id,
      scenario_id: r.scenario_id,
      rule_id: r.rule_id,
      created_at: iso(r.created_at),
      updated_at: iso(r.updated_at),
    },
    assignee: { id: r.assignee_id, email: r.assignee_email, name: r.assignee_name },
    contact: r.contact_id ? { id: r.contact_id, email: r.contact_email } : null,
  };
}
