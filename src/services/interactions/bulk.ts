import { type SQL, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { interactions } from "../../db/schema";
import { now } from "../../lib/clock";
import { scoped, type Tenant } from "../../lib/tenant";
import { assertReferences, bumpUpdatedAt, notifiedAtAfterReassign } from "./store";
import type { InteractionStatus } from "../inbox/view";

/** At most this many ids per bulk request (one UPDATE; the ids travel as one JSON parameter). */
export const BULK_MAX_IDS = 200;

export type BulkAction =
  | { action: "mark_done" }
  | { action: "set_status"; status: InteractionStatus }
  | { action: "reassign"; assignee_id: string | null };

export interface BulkResult {
  /** Ids that were updated, in request order. */
  updated: string[];
  /** Ids that are not interactions of this organization. */
  not_found: string[];
}

/**
 * `id IN (ids)` with the ids passed as one JSON array: D1 allows 100 bound parameters per
 * statement, and a bulk request may carry up to 200 ids.
 */
const idIn = (ids: string[]): SQL =>
  sql`${interactions.id} in (select value from json_each(${JSON.stringify(ids)}))`;

/**
 * Apply one action to several interactions of the organization in a single UPDATE. Ids of other
 * organizations are reported as not found, exactly like ids that do not exist.
 */
export async function bulkUpdateInteractions(
  tenant: Tenant,
  ids: string[],
  action: BulkAction,
): Promise<BulkResult> {
  const unique = [...new Set(ids)];
  let set: SQLiteUpdateSetSource<typeof interactions>;
  switch (action.action) {
    case "mark_done":
      set = { status: "done" };
      break;
    case "set_status":
      set = { status: action.status };
      break;
    case "reassign":
      if (action.assignee_id) await assertReferences(tenant, { assignee_id: action.assignee_id });
      set = { assigneeId: action.assignee_id, notifiedAt: notifiedAtAfterReassign(action.assignee_id) };
      break;
  }
  const rows = await tenant.db
    .update(interactions)
    .set({ ...set, updatedAt: bumpUpdatedAt(now()) })
    .where(scoped(tenant, interactions, idIn(unique)))
    .returning({ id: interactions.id });
  const hit = new Set(rows.map((r) => r.id));
  return { updated: unique.filter((id) => hit.has(id)), not_found: unique.filter((id) => !hit.has(id)) };
}
