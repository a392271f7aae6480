/**
 * A SEND message whose ledger row is already final (a redelivery: the invocation that sent it died
 * after recording it) is not sent again, but its sequence is told again: the object applies a
 * result it never heard, or answers its contact_sequences row as it stands, which the invocation
 * that died may not have written. Both are idempotent (per ledger row; the row's revision guard).
 */
import { and, inArray } from "drizzle-orm";
import type { SendOutcome } from "../../contracts/sequence";
import { operationLedger } from "../../db/schema";
import { scoped, type Tenant } from "../../lib/tenant";
import type { MirrorWrite } from "../scenarios/engine/mirror";
import type { LedgerRow } from "../ledger/types";
import { chunks } from "../../lib/chunks";
import { isScenarioSend, type NotifySequence, outcomeFor, writeSequenceRows } from "./notify";

const FINAL = ["executed", "failed", "skipped"] as const;

/** The outcome a final ledger row records, as the SEND consumer reported it. */
function recorded(row: LedgerRow): SendOutcome {
  const status = row.status as (typeof FINAL)[number];
  const detail =
    status === "executed" ? { message_id: row.messageId ?? undefined } : { reason: row.reason ?? undefined };
  return outcomeFor(row, status, row.updatedAt, detail);
}

/**
 * Tell the sequences of these ledger rows (the batch's rows it did not claim) their results again,
 * for the rows that are final scenario sends, and write the rows the objects hand back. Never throws.
 */
export async function renotifyFinal(env: Env, tenant: Tenant, ids: string[], notify: NotifySequence) {
  if (!ids.length) return;
  try {
    const rows: LedgerRow[] = [];
    for (const part of chunks(ids))
      rows.push(
        ...(await tenant.db
          .select()
          .from(operationLedger)
          .where(
            scoped(
              tenant,
              operationLedger,
              and(inArray(operationLedger.id, part), inArray(operationLedger.status, FINAL)),
            ),
          )
          .all()),
      );
    const handed: MirrorWrite[] = [];
    await Promise.all(rows.filter(isScenarioSend).map((row) => notify(env, row, recorded(row), handed)));
    await writeSequenceRows(env, tenant, handed);
  } catch (e) {
    console.error(
      "SEND: could not tell the sequences of final rows again",
      e instanceof Error ? e.message : e,
    );
  }
}
