/**
 * What operators look at when an email did not go out: the ledger rows (GET /api/v1/operations),
 * newest first, keyset-paged on the time-ordered ids.
 */
import { and, desc, eq, lt } from "drizzle-orm";
import { type LEDGER_STATUSES, operationLedger } from "../../db/schema";
import { iso } from "../../lib/clock";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";

export interface OperationQuery {
  limit: number;
  cursor?: string;
  status?: (typeof LEDGER_STATUSES)[number];
  scenario_id?: string;
  campaign_id?: string;
  contact_id?: string;
}

export async function listOperations(tenant: Tenant, q: OperationQuery) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(operationLedger)
    .where(
      scoped(
        tenant,
        operationLedger,
        and(
          after ? lt(operationLedger.id, String(after[0])) : undefined,
          q.status ? eq(operationLedger.status, q.status) : undefined,
          q.scenario_id ? eq(operationLedger.scenarioId, q.scenario_id) : undefined,
          q.campaign_id ? eq(operationLedger.campaignId, q.campaign_id) : undefined,
          q.contact_id ? eq(operationLedger.contactId, q.contact_id) : undefined,
        ),
      ),
    )
    .orderBy(desc(operationLedger.id))
    .limit(q.limit + 1)
    .all();
  const { items, next_cursor } = page(rows, q.limit, (r) => [r.id]);
  return {
    items: items.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      reason: r.reason,
      attempts: r.attempts,
      contact_id: r.contactId,
      scenario_id: r.scenarioId,
      step_order: r.stepOrder,
      campaign_id: r.campaignId,
      variant_name: r.variantName,
      message_id: r.messageId,
      created_at: iso(r.createdAt) as string,
      updated_at: iso(r.updatedAt) as string,
    })),
    next_cursor,
  };
}
