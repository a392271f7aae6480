import type { SendMessage } from "../../contracts/queue-messages";
import { d1Named, databaseNames } from "../../db/route";
import { now } from "../../lib/clock";
import { sendAll } from "../../lib/queue";
import { crossTenantSql } from "../../lib/tenant-sql";

/** A pending row untouched this long lost its SEND message (or is waiting on a long retry: harmless). */
export const PENDING_STALE_MS = 15 * 60_000;
/** Rows per status per run: the job runs every 5 minutes, so a backlog drains over a few runs. */
const BATCH = 500;
/**
 * How far back the job looks. The ledger has no status index (every status change would write it):
 * the job walks the id range of the last hours instead, ids being time-ordered. A row that waits
 * longer than this was re-enqueued many times already and has its own producer's retries.
 */
export const RECOVERY_WINDOW_MS = 6 * 3_600_000;

/** The smallest ledger id created at `at` (ids are `op_<12 hex ms><random>`). */
const idFloor = (at: number) => `op_${Math.max(0, Math.floor(at)).toString(16).padStart(12, "0")}`;

/**
 * Re-enqueue operation_ledger rows stuck in `pending` (their message was lost) or in `sending`
 * past their lease (the consumer died mid-send): the latter go back to pending first, with one
 * conditional UPDATE, so the SEND consumer's claim (pending -> sending) still lets one delivery
 * through. Each row touched gets a fresh updated_at, so it is not picked again until it is stale
 * again. This is a system job across organizations; each message names its row's organization.
 */
export async function recoverStuckLedger(
  env: Env,
  sendQueue: Queue,
): Promise<{ released: number; requeued: number }> {
  const total = { released: 0, requeued: 0 };
  for (const name of databaseNames(env)) {
    const r = await recoverIn(d1Named(env, name), sendQueue);
    total.released += r.released;
    total.requeued += r.requeued;
  }
  return total;
}

/** One database's stuck rows (each database holds its organizations' ledgers). */
async function recoverIn(d1: D1Database, sendQueue: Queue): Promise<{ released: number; requeued: number }> {
  const at = now();
  const [released, stale] = await d1.batch<{ id: string; organization_id: string }>([
    crossTenantSql(
      d1,
      `UPDATE operation_ledger SET status = 'pending', lease_until = NULL, reason = 'recovered: claim lease expired', updated_at = ?1
       WHERE id IN (SELECT id FROM operation_ledger WHERE id >= ?4 AND status = 'sending' AND (lease_until < ?1 OR (lease_until IS NULL AND updated_at < ?2)) LIMIT ?3)
         AND status = 'sending'
       RETURNING id, organization_id`,
      at,
      at - PENDING_STALE_MS,
      BATCH,
      idFloor(at - RECOVERY_WINDOW_MS),
    ),
    crossTenantSql(
      d1,
      `UPDATE operation_ledger SET updated_at = ?1
       WHERE id IN (SELECT id FROM operation_ledger WHERE id >= ?4 AND status = 'pending' AND updated_at < ?2 LIMIT ?3)
         AND status = 'pending'
       RETURNING id, organization_id`,
      at,
      at - PENDING_STALE_MS,
      BATCH,
      idFloor(at - RECOVERY_WINDOW_MS),
    ),
  ]);
  const rows = [...(released?.results ?? []), ...(stale?.results ?? [])];
  const messages = rows.map((r) => ({
    body: { ledger_id: r.id, organization_id: r.organization_id } satisfies SendMessage,
  }));
  await sendAll(sendQueue, messages);
  if (rows.length)
    console.warn(`ledger recovery: ${released?.results.length ?? 0} released, ${rows.length} re-enqueued`);
  return { released: released?.results.length ?? 0, requeued: rows.length };
}
