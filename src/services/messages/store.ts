import { desc, eq, lt } from "drizzle-orm";
import { messages, type MESSAGE_STATUSES } from "../../db/schema";
import { iso } from "../../lib/clock";
import { notFound } from "../../lib/errors";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { readRaw } from "../sending/archive";

export type MessageRow = typeof messages.$inferSelect;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** The public shape of a message (API.md, Messages); `raw` only on the single-message read. */
export function messageView(m: MessageRow) {
  return {
    id: m.id,
    contact_id: m.contactId,
    scenario_id: m.scenarioId,
    campaign_id: m.campaignId,
    step_order: m.stepOrder,
    variant_name: m.variantName,
    provider: m.provider,
    external_id: m.externalId,
    subject: m.subject,
    from_email: m.fromEmail,
    to_email: m.toEmail,
    status: m.status,
    failure_reason: m.failureReason,
    sent_at: iso(m.sentAt),
    delivered_at: iso(m.deliveredAt),
    open_count: m.openCount,
    click_count: m.clickCount,
    created_at: iso(m.createdAt) as string,
  };
}

export interface MessageQuery {
  limit: number;
  cursor?: string;
  contact_id?: string;
  scenario_id?: string;
  campaign_id?: string;
  status?: MessageStatus;
}

/** Newest first (ids sort by creation time), keyset-paginated on the id. */
export async function listMessages(tenant: Tenant, q: MessageQuery) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(messages)
    .where(
      scoped(
        tenant,
        messages,
        after ? lt(messages.id, String(after[0])) : undefined,
        q.contact_id ? eq(messages.contactId, q.contact_id) : undefined,
        q.scenario_id ? eq(messages.scenarioId, q.scenario_id) : undefined,
        q.campaign_id ? eq(messages.campaignId, q.campaign_id) : undefined,
        q.status ? eq(messages.status, q.status) : undefined,
      ),
    )
    .orderBy(desc(messages.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

/** The exact MIME handed to the provider: from the R2 archive, or D1 for rows the archive did not take. */
export async function rawOf(bucket: R2Bucket | undefined, m: Pick<MessageRow, "raw" | "rawRef">) {
  return m.raw ?? (await readRaw(bucket, m.rawRef));
}

export async function getMessage(tenant: Tenant, id: string): Promise<MessageRow> {
  const row = await tenant.db
    .select()
    .from(messages)
    .where(scoped(tenant, messages, eq(messages.id, id)))
    .get();
  if (!row) throw notFound("message");
  return row;
}
