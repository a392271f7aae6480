import { eq, type SQL, sql } from "drizzle-orm";
import { campaignLinkClicks, type MESSAGE_STATUSES, messages, stepVariants } from "../../../db/schema";
import type { NormalizedEvent } from "../../../contracts/events";
import { scoped, type Tenant } from "../../../lib/tenant";
import type { MessageRow } from "./resolve";
import type { Changes } from "../types";

type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * How far a message has got. Events arrive out of order (a click before the delivery): a status only
 * moves up this ladder, so a late "delivered" never undoes "clicked". Failures outrank engagement.
 */
const RANK: Record<MessageStatus, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  opened: 3,
  clicked: 4,
  replied: 5,
  failed: 6,
  bounced: 7,
  complained: 8,
};
const rankOfStatus = sql.raw(
  `(case "status" ${Object.entries(RANK)
    .map(([s, r]) => `when '${s}' then ${r}`)
    .join(" ")} else 0 end)`,
);
const raise = (to: MessageStatus) =>
  sql`case when ${rankOfStatus} < ${RANK[to]} then ${to} else "status" end`;

/** Earliest / latest of a nullable timestamp column and the event's time. */
const earliest = (col: string, t: number) => sql`min(coalesce(${sql.raw(`"${col}"`)}, ${t}), ${t})`;
const latest = (col: string, t: number) => sql`max(coalesce(${sql.raw(`"${col}"`)}, ${t}), ${t})`;

/** The messages-row changes an event makes: status, counters, first/last timestamps. Null: none. */
function messageChanges(e: NormalizedEvent): Changes<typeof messages.$inferInsert> | null {
  const t = e.occurred_at;
  switch (e.type) {
    case "sent":
      return { sentAt: earliest("sent_at", t), status: raise("sent") };
    case "delivered":
      return { deliveredAt: earliest("delivered_at", t), status: raise("delivered") };
    case "opened":
      if (e.machine) return { machineOpenCount: sql`"machine_open_count" + 1` };
      return {
        openCount: sql`"open_count" + 1`,
        firstOpenedAt: earliest("first_opened_at", t),
        lastOpenedAt: latest("last_opened_at", t),
        status: raise("opened"),
      };
    case "clicked":
      // A scanner's click is recorded as an event only: it is no reader's click.
      if (e.machine) return null;
      return {
        clickCount: sql`"click_count" + 1`,
        firstClickedAt: earliest("first_clicked_at", t),
        lastClickedAt: latest("last_clicked_at", t),
        status: raise("clicked"),
      };
    case "bounced": {
      const reason = `bounce: ${e.bounce_type ?? "Undetermined"}`;
      // A Transient bounce is a delay, not the message's fate.
      return e.bounce_type === "Transient"
        ? { failureReason: reason }
        : { status: raise("bounced"), failureReason: reason };
    }
    case "complained":
      return { status: raise("complained") };
    case "replied":
      return { repliedAt: earliest("replied_at", t), status: raise("replied") };
    case "unsubscribed":
      return { unsubscribedAt: earliest("unsubscribed_at", t) };
    case "rejected":
    case "failed": {
      const reason = typeof e.properties.reason === "string" ? e.properties.reason : e.type;
      return { status: raise("failed"), failureReason: reason.slice(0, 500) };
    }
    default:
      return null;
  }
}

/**
 * The message and A/B variant statements of an event, each guarded by `guard` (the event is not
 * applied yet) so a concurrent second delivery of the same event changes nothing.
 */
export function messageStatements(
  tenant: Tenant,
  e: NormalizedEvent,
  message: MessageRow,
  firsts: { open: boolean; click: boolean; machineOpen: boolean; reply?: boolean },
  guard: SQL,
  at: number,
  /** SHA-256 of the clicked URL, for a campaign message's link counts. */
  linkHash?: string | null,
) {
  const { db } = tenant;
  const out = [];
  const url = typeof e.properties.url === "string" ? e.properties.url.slice(0, 2000) : null;
  if (e.type === "clicked" && !e.machine && message.campaignId && url && linkHash) {
    // One row per (campaign, link, message): unique clicks are the rows, clicks their sum.
    out.push(
      db
        .insert(campaignLinkClicks)
        .select(
          sql`SELECT ${message.campaignId}, ${linkHash}, ${message.id}, ${tenant.orgId}, ${url}, 1 WHERE ${guard}`,
        )
        .onConflictDoUpdate({
          target: [campaignLinkClicks.campaignId, campaignLinkClicks.urlHash, campaignLinkClicks.messageId],
          set: { clicks: sql`${campaignLinkClicks.clicks} + 1` },
        }),
    );
  }
  const changes = messageChanges(e);
  if (changes) {
    out.push(
      db
        .update(messages)
        .set({ ...changes, updatedAt: at })
        .where(scoped(tenant, messages, eq(messages.id, message.id), guard)),
    );
  }
  // Variant stats count messages, not hits: the first human open, the first click, the first machine open.
  const counter = firsts.open
    ? "opened"
    : firsts.click
      ? "clicked"
      : firsts.machineOpen
        ? "machine_opened"
        : firsts.reply
          ? "replied"
          : null;
  if (counter && message.scenarioId && message.stepOrder !== null && message.variantName) {
    const column = sql.raw(`"${counter}"`);
    out.push(
      db
        .update(stepVariants)
        .set({ [counter === "machine_opened" ? "machineOpened" : counter]: sql`${column} + 1` })
        .where(
          scoped(
            tenant,
            stepVariants,
            eq(stepVariants.name, message.variantName),
            // The step of the version this contact's sequence runs (else the latest version).
            sql`${stepVariants.stepId} in (select ss.id from scenario_steps ss where ss.scenario_id = ${message.scenarioId}
              and ss.step_order = ${message.stepOrder} and ss.version = coalesce(
                (select cs.steps_version from contact_sequences cs where cs.scenario_id = ${message.scenarioId} and cs.contact_id = ${message.contactId}),
                (select max(v.version) from scenario_steps v where v.scenario_id = ${message.scenarioId})))`,
            guard,
          ),
        ),
    );
  }
  return out;
}
