import type { NormalizedEvent } from "../../../contracts/events";
import type { Tenant } from "../../../lib/tenant";
import { tenantSql } from "../../../lib/tenant-sql";
import { normalizeEmail } from "../../../lib/validation";
import type { MessageRow } from "./resolve";
import type { DraftEvent } from "../types";
import { type ColumnChanges, guardedUpdate } from "./guarded-update";
import type { PlanStatement } from "./plan-statement";
import type { ContactRow } from "../../contacts/types";

/** Events that show a person engaging (they move last_event_at, which hot leads show). */
const ENGAGEMENT = new Set([
  "opened",
  "clicked",
  "replied",
  "page_visit",
  "purchase",
  "form_submit",
  "custom",
]);

const idSuffix = (eventId: string) => eventId.replace(/^ev_/, "");

// Fixed text (drizzle built these for every open and click: 4.6% of the consumer's samples under a
// webhook load). Their ids derive from the event's, so a redelivered event inserts nothing.
const SCORE_HISTORY = `INSERT INTO score_history (organization_id, id, contact_id, delta, score_after, cause, event_id, created_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING`;
const INBOX_ITEM = `INSERT INTO interactions (organization_id, id, contact_id, type, title, body, message_id, scenario_id, created_at, updated_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT DO NOTHING`;

export function contactStatements(
  tenant: Tenant,
  e: NormalizedEvent,
  contact: ContactRow,
  /** The message, when this event is its first human open (it then becomes an inbox item). */
  openedFirst: MessageRow | null,
  /** The message replied to, when this is a reply: every reply is an inbox item with its text. */
  repliedTo: MessageRow | null,
  score: { after: number; cause?: string },
  at: number,
) {
  const out: PlanStatement[] = [];
  const delta = score.after - contact.score;
  const set: ColumnChanges = {};
  const latest = { op: "latest", at: e.occurred_at } as const;
  if (delta !== 0) set.score = { op: "addFloor0", by: delta };
  if (ENGAGEMENT.has(e.type) && !e.machine) set.last_event_at = latest;
  // Human opens and clicks, for segments (last_opened_at within 30 days...). Same row, no extra write.
  if (e.type === "opened" && !e.machine) set.last_opened_at = latest;
  if (e.type === "clicked" && !e.machine) set.last_clicked_at = latest;
  if (Object.keys(set).length) out.push(guardedUpdate(tenant, "contacts", contact.id, set, e.id, at));
  if (delta !== 0 && score.cause) {
    out.push(
      tenantSql(
        tenant,
        SCORE_HISTORY,
        `sh_${idSuffix(e.id)}`,
        contact.id,
        delta,
        score.after,
        score.cause,
        e.id,
        at,
      ),
    );
  }
  // The inbox item of a first open or a reply: one per event (its id derives from the event's).
  const inboxItem = (
    type: "email_open" | "reply",
    title: string,
    message: Pick<MessageRow, "id" | "scenarioId"> | null | undefined,
    body: string | null = null,
  ) =>
    tenantSql(
      tenant,
      INBOX_ITEM,
      `int_${idSuffix(e.id)}`,
      contact.id,
      type,
      title.slice(0, 300),
      body,
      message?.id ?? null,
      message?.scenarioId ?? null,
      at,
    );
  if (openedFirst)
    out.push(inboxItem("email_open", `Opened: ${openedFirst.subject ?? "an email"}`, openedFirst));
  if (e.type === "replied") {
    const text = typeof e.properties.text === "string" ? e.properties.text : "";
    const subject = typeof e.properties.subject === "string" ? e.properties.subject : repliedTo?.subject;
    out.push(
      inboxItem("reply", `Replied: ${subject ?? "an email"}`, repliedTo, text.slice(0, 20_000) || null),
    );
  }
  return out;
}

/** Addresses to suppress: a Permanent bounce's and a complaint's recipients, an unsubscriber's address. */
export function suppressedAddresses(
  e: NormalizedEvent,
  draft: DraftEvent,
  contact: ContactRow | null,
): string[] {
  const hard = e.type === "bounced" && e.bounce_type === "Permanent";
  if (!hard && e.type !== "complained" && e.type !== "unsubscribed") return [];
  const all = new Set(
    [...(draft.recipients ?? []), draft.email ?? "", contact?.email ?? ""].map(normalizeEmail),
  );
  all.delete("");
  // The contact's own opt-out is written by optOutStatements, together with its status and sequences.
  if (contact && !hard) all.delete(normalizeEmail(contact.email));
  return [...all];
}
