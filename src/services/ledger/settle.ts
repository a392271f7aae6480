/**
 * Every change of a ledger row's status after it was created, as statements the callers run in
 * their own batches: the SEND consumer's results (executed / failed / skipped) and its releases,
 * the withdrawals of pending rows (a pause, a stop, a sequence that moved on, an erased contact),
 * a campaign resume's revival, and the dead-letter queue's last word. Each is conditional on the
 * status it moves from, so a redelivery or a race changes nothing twice.
 */
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { operationLedger } from "../../db/schema";
import { scoped, type Tenant } from "../../lib/tenant";
import type { LedgerRow } from "./types";
import { tenantBatch, tenantSql } from "../../lib/tenant-sql";

export type LedgerStatus = LedgerRow["status"];
export type LedgerFinal = "executed" | "skipped" | "failed";

/** What the sequence engine reads of a row. */
export interface LedgerState {
  status: LedgerStatus;
  reason: string | null;
  at: number;
}
const STATE_FIELDS = "status, reason, updated_at AS at";

/** One result of a SEND batch. */
export interface Settlement {
  id: string;
  status: LedgerFinal;
  reason: string | null;
  message_id: string | null;
}

/**
 * A SEND batch's results in one UPDATE: executed (any row not executed yet), failed (still pending
 * or sending), skipped (only a row this batch claimed).
 */
export function settleStatement(tenant: Tenant, rows: Settlement[], at: number) {
  return tenantSql(
    tenant,
    `UPDATE operation_ledger SET status = j.value ->> 'status', reason = j.value ->> 'reason',
         message_id = coalesce(j.value ->> 'message_id', operation_ledger.message_id), lease_until = NULL, updated_at = ?2
       FROM json_each(?3) AS j
       WHERE operation_ledger.organization_id = ?1 AND operation_ledger.id = (j.value ->> 'id')
         AND CASE j.value ->> 'status'
           WHEN 'executed' THEN operation_ledger.status <> 'executed'
           WHEN 'failed' THEN operation_ledger.status IN ('pending', 'sending')
           ELSE operation_ledger.status = 'sending' END`,
    at,
    JSON.stringify(rows),
  );
}

/** Transient failures: give the rows back (sending -> pending) so the retried messages can claim them. */
export async function releaseClaims(tenant: Tenant, items: { id: string; reason: string }[], at: number) {
  if (!items.length) return;
  await tenantSql(
    tenant,
    `UPDATE operation_ledger SET status = 'pending',
         reason = CASE WHEN j.value ->> 'reason' = 'warmup' THEN 'warmup' ELSE substr('retrying: ' || (j.value ->> 'reason'), 1, 500) END,
         lease_until = NULL, updated_at = ?2
       FROM json_each(?3) AS j
       WHERE operation_ledger.organization_id = ?1 AND operation_ledger.id = (j.value ->> 'id') AND operation_ledger.status = 'sending'`,
    at,
    JSON.stringify(items),
  ).run();
}

export async function ledgerStateOf(tenant: Tenant, ledgerId: string): Promise<LedgerState | null> {
  return tenantSql(
    tenant,
    `SELECT ${STATE_FIELDS} FROM operation_ledger WHERE organization_id = ?1 AND id = ?2`,
    ledgerId,
  ).first<LedgerState>();
}

/**
 * Withdraw one pending row (-> skipped with the reason), found by id or by idempotency key; answers
 * its state either way, or null when there is no row. The SEND consumer's claim (pending ->
 * sending) races it fairly: whichever lands first wins.
 */
export async function withdrawRow(
  tenant: Tenant,
  by: { id: string } | { key: string },
  reason: string,
  at: number,
): Promise<LedgerState | null> {
  const [col, value] = "id" in by ? ["id", by.id] : ["idempotency_key", by.key];
  const where = `organization_id = ?1 AND ${col} = ?2` as const;
  const [updated, row] = await tenantBatch<LedgerState>(tenant, [
    tenantSql(
      tenant,
      `UPDATE operation_ledger SET status = 'skipped', reason = ?3, updated_at = ?4 WHERE ${where} AND status = 'pending' RETURNING ${STATE_FIELDS}`,
      value,
      reason,
      at,
    ),
    tenantSql(tenant, `SELECT ${STATE_FIELDS} FROM operation_ledger WHERE ${where}`, value),
  ]);
  return updated?.results[0] ?? row?.results[0] ?? null;
}

/**
 * A scenario's pending rows withdrawn with the reason, in the batch of the transition that paused
 * or stopped it: only when that transition's UPDATE (the previous statement) changed its row.
 */
export function withdrawScenarioStatement(tenant: Tenant, scenarioId: string, reason: string, at: number) {
  return tenantSql(
    tenant,
    `UPDATE operation_ledger SET status = 'skipped', reason = ?3, updated_at = ?4
     WHERE organization_id = ?1 AND scenario_id = ?2 AND status = 'pending' AND changes() = 1`,
    scenarioId,
    reason,
    at,
  );
}

/** An erased contact's pending rows (created since `since`: the ledger has no contact index) are skipped. */
export const withdrawContactStatement = (tenant: Tenant, contactId: string, since: string, at: number) =>
  tenant.db
    .update(operationLedger)
    .set({ status: "skipped", reason: "contact_erased", updatedAt: at })
    .where(
      scoped(
        tenant,
        operationLedger,
        gte(operationLedger.id, since),
        eq(operationLedger.contactId, contactId),
        eq(operationLedger.status, "pending"),
      ),
    );

/** Rows a pause withdrew (skipped with `reason`) become pending again; answers their ids. */
export async function revive(tenant: Tenant, ids: string[], reason: string, at: number): Promise<string[]> {
  if (!ids.length) return [];
  const res = await tenantSql(
    tenant,
    `UPDATE operation_ledger SET status = 'pending', reason = NULL, updated_at = ?3
       WHERE organization_id = ?1 AND id IN (SELECT value FROM json_each(?2)) AND status = 'skipped' AND reason = ?4
       RETURNING id`,
    JSON.stringify(ids),
    at,
    reason,
  ).all<{ id: string }>();
  return res.results.map((r) => r.id);
}

/** A SEND message out of retries: its row, if not final yet, fails with the attempts it took. */
export async function deadLetter(
  tenant: Tenant,
  ledgerId: string,
  at: number,
): Promise<LedgerRow | undefined> {
  const [row] = await tenant.db
    .update(operationLedger)
    .set({
      status: "failed",
      reason: sql`'dead-lettered after ' || ${operationLedger.attempts} || ' attempts'`,
      leaseUntil: null,
      updatedAt: at,
    })
    .where(
      and(
        scoped(tenant, operationLedger, eq(operationLedger.id, ledgerId)),
        inArray(operationLedger.status, ["pending", "sending"]),
      ),
    )
    .returning();
  return row;
}
