import { eq } from "drizzle-orm";
import type { SendMessage } from "../../contracts/queue-messages";
import { operationLedger } from "../../db/schema";
import { now } from "../../lib/clock";
import { sha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";
import { scoped, type Tenant } from "../../lib/tenant";
import type { SendOperationInput } from "./types";
import { tenantSql } from "../../lib/tenant-sql";

/** SHA-256 of the parts: the ledger's idempotency key. */
export const idempotencyKey = (parts: (string | number | null)[]) =>
  sha256Hex(parts.map((p) => String(p ?? "")).join("\u001f"));

/**
 * Write the ledger row (a second insert with the same key does nothing) and enqueue it on SEND.
 * A row that already exists and is still pending is enqueued again: the consumer's claim makes a
 * duplicate message harmless, and a row whose first enqueue was lost gets sent.
 */
export async function createSendOperation(
  tenant: Tenant,
  queue: Queue,
  input: SendOperationInput,
  delaySeconds = 0,
) {
  const key = await idempotencyKey(input.keyParts);
  const at = now();
  const inserted = await tenant.db
    .insert(operationLedger)
    .values({
      id: newId("op", at),
      organizationId: tenant.orgId,
      idempotencyKey: key,
      kind: "send",
      scenarioId: input.scenarioId ?? null,
      stepOrder: input.stepOrder ?? null,
      contactId: input.contactId,
      variantName: input.variantName ?? null,
      templateId: input.templateId ?? null,
      payload: JSON.stringify(input.payload ?? {}),
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: operationLedger.id, status: operationLedger.status });
  const row =
    inserted[0] ??
    (await tenant.db
      .select({ id: operationLedger.id, status: operationLedger.status })
      .from(operationLedger)
      .where(scoped(tenant, operationLedger, eq(operationLedger.idempotencyKey, key)))
      .get());
  if (!row) throw new Error("ledger row vanished after insert");
  if (row.status === "pending") {
    const body: SendMessage = { ledger_id: row.id, organization_id: tenant.orgId };
    await queue.send(body, delaySeconds > 0 ? { delaySeconds: Math.min(delaySeconds, 43_200) } : undefined);
  }
  return { ledgerId: row.id, created: inserted.length > 0, status: row.status };
}

/** The columns of a bulk insert, in the order the caller's SELECT gives them. */
const BULK_COLUMNS =
  "id, organization_id, idempotency_key, kind, campaign_id, contact_id, variant_name, template_id, status, attempts, payload, created_at, updated_at";

/**
 * Many ledger rows in one statement, from a SELECT the caller writes (its columns BULK_COLUMNS, in
 * order, and a WHERE clause: SQLite needs one before ON CONFLICT). `withClause` may name what the
 * SELECT reads. A row whose idempotency key exists already is left as it is.
 */
export const bulkInsertSql = (select: string, opts: { withClause?: string; returning?: string } = {}) =>
  `${opts.withClause ? `WITH ${opts.withClause}\n` : ""}INSERT INTO operation_ledger (${BULK_COLUMNS})
${select}
ON CONFLICT DO NOTHING${opts.returning ? ` RETURNING ${opts.returning}` : ""}`;

/** The rows of these idempotency keys still pending (to enqueue), new or left by an earlier delivery. */
export const pendingByKeysStatement = (tenant: Tenant, keys: string[]) =>
  tenantSql(
    tenant,
    `SELECT l.id AS ledger_id, l.status FROM operation_ledger l
     WHERE l.idempotency_key IN (SELECT value FROM json_each(?2)) AND l.organization_id = ?1 AND l.status = 'pending'`,
    JSON.stringify(keys),
  );
