import { type SQL, sql } from "drizzle-orm";
import { campaignLinkClicks, type MESSAGE_STATUSES } from "../../../db/schema";
import type { NormalizedEvent } from "../../../contracts/events";
import type { Tenant } from "../../../lib/tenant";
import type { MessageRow } from "./resolve";
import { type ColumnChange, type ColumnChanges, guardedUpdate } from "./guarded-update";
import type { PlanStatement } from "./plan-statement";

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
/** The status's rank, in SQL. */
const LADDER = `(case "status" ${Object.entries(RANK)
  .map(([s, r]) => `when '${s}' then ${r}`)
  .join(" ")} else 0 end)`;
const raise = (to: MessageStatus): ColumnChange => ({ op: "raise", ladder: LADDER, rank: RANK[to], to });

/** The messages-row changes an event makes: status, counters, first/last timestamps. Null: none. */
function messageChanges(e: NormalizedEvent): ColumnChanges | null {
  const at = e.occurred_at;
  const earliest = { op: "earliest", at } as const;
  const latest = { op: "latest", at } as const;
  const once = { op: "add", by: 1 } as const;
  switch (e.type) {
    case "sent":
      return { sent_at: earliest, status: raise("sent") };
    case "delivered":
      return { delivered_at: earliest, status: raise("delivered") };
    case "opened":
      if (e.machine) return { machine_open_count: once };
      return {
        open_count: once,
        first_opened_at: earliest,
        last_opened_at: latest,
        status: raise("opened"),
      };
    case "clicked":
      // A scanner's click is recorded as an event only: it is no reader's click.
      if (e.machine) return null;
      return {
        click_count: once,
        first_clicked_at: earliest,
        last_clicked_at: latest,
        status: raise("clicked"),
      };
    case "bounced": {
      const reason = { op: "set", value: `bounce: ${e.bounce_type ?? "Undetermined"}` } as const;
      // A Transient bounce is a delay, not the message's fate.
      return e.bounce_type === "Transient"
        ? { failure_reason: reason }
        : { status: raise("bounced"), failure_reason: reason };
    }
    case "complained":
      return { status: raise("complained") };
    case "replied":
      return { replied_at: earliest, status: raise("replied") };
    case "unsubscribed":
      return { unsubscribed_at: earliest };
    case "rejected":
    case "failed": {
      const reason = typeof e.properties.reason === "string" ? e.properties.reason : e.type;
      return { status: raise("failed"), failure_reason: { op: "set", value: reason.slice(0, 500) } };
    }
    default:
      return null;
  }
}

/**
 * The message statements of an event (its row, a campaign link's click), each guarded by `guard`
 * (the event is not applied yet) so a concurrent second delivery of the same event changes nothing.
 * Its A/B variant's count is variant-counts.ts.
 */
export function messageStatements(
  tenant: Tenant,
  e: NormalizedEvent,
  message: MessageRow,
  guard: SQL,
  at: number,
  /** SHA-256 of the clicked URL, for a campaign message's link counts. */
  linkHash?: string | null,
) {
  const { db } = tenant;
  const out: PlanStatement[] = [];
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
  if (changes) out.push(guardedUpdate(tenant, "messages", message.id, changes, e.id, at));
  return out;
}
