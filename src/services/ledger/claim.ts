import { eq, inArray, sql } from "drizzle-orm";
import { operationLedger } from "../../db/schema";
import { scoped, type Tenant } from "../../lib/tenant";
import { CLAIM_LEASE_MS, type LedgerRow } from "./types";
import { chunks } from "../../lib/chunks";

/**
 * Claim the rows (pending -> sending) with one conditional UPDATE per 90 ids. Rows missing, already
 * claimed by another delivery, or final are not returned: the caller acks them without calling a
 * provider.
 */
export async function claimLedgers(tenant: Tenant, ids: string[], at: number): Promise<LedgerRow[]> {
  const out: LedgerRow[] = [];
  for (const part of chunks(ids)) {
    const rows = await tenant.db
      .update(operationLedger)
      .set({
        status: "sending",
        attempts: sql`${operationLedger.attempts} + 1`,
        leaseUntil: at + CLAIM_LEASE_MS,
        updatedAt: at,
      })
      .where(
        scoped(
          tenant,
          operationLedger,
          inArray(operationLedger.id, part),
          eq(operationLedger.status, "pending"),
        ),
      )
      .returning();
    out.push(...rows);
  }
  return out;
}
