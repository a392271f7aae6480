import type { SendOutcome } from "../../contracts/sequence";
import { sequenceName } from "../../contracts/sequence";
import type { LedgerRow } from "../ledger/types";
import { type MirrorWrite, syncSequenceRows } from "../scenarios/engine/mirror";
import type { Tenant } from "../../lib/tenant";

/** What the sequence of a ledger row hears of its send: the status, when, and the message or the reason. */
export const outcomeFor = (
  ledger: LedgerRow,
  status: SendOutcome["status"],
  at: number,
  detail: { message_id?: string; reason?: string } = {},
): SendOutcome => ({ ledger_id: ledger.id, step_order: ledger.stepOrder ?? 0, status, at, ...detail });

/** Scenario sends have a sequence to tell; rule sends and reminders do not. */
export const isScenarioSend = (ledger: LedgerRow) =>
  !!ledger.scenarioId && !!ledger.contactId && ledger.stepOrder !== null;

/**
 * Tells the scenario engine a send is final. Injectable so tests can observe the outcome. With
 * `rows`, the object hands its contact_sequences row back into it instead of writing it (the
 * caller writes them all at once: syncSequenceRows); without, the object writes its own row.
 */
export type NotifySequence = (
  env: Env,
  ledger: LedgerRow,
  outcome: SendOutcome,
  rows?: MirrorWrite[],
) => Promise<void>;

/**
 * For scenario sends: `SequenceDO.onSendResult(outcome)` on the (scenario, contact) object, so the
 * journey moves on (executed), or records the step as skipped/failed. Other sends have no sequence.
 * Best effort with one retry: the ledger row is already final and is the source of truth.
 */
export const notifySequence: NotifySequence = async (env, ledger, outcome, rows) => {
  if (!ledger.scenarioId || !ledger.contactId || ledger.stepOrder === null) return;
  const stub = sequenceStub(env, ledger.scenarioId, ledger.contactId);
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await stub.onSendResult(outcome, { hand_back_row: rows !== undefined });
      if (rows && res.row) rows.push(res.row);
      return;
    } catch (e) {
      if (attempt >= 2) {
        console.error(
          `SequenceDO.onSendResult failed for ledger ${ledger.id}`,
          e instanceof Error ? e.message : e,
        );
        return;
      }
    }
  }
};

const sequenceStub = (env: Env, scenarioId: string, contactId: string) =>
  env.SEQUENCE.get(env.SEQUENCE.idFromName(sequenceName(scenarioId, contactId)));

/**
 * Write the rows the objects handed back, in one statement per 200. If that fails, each object is
 * asked to write its own row again (as it does when it was not asked to hand it back).
 */
export async function writeSequenceRows(env: Env, tenant: Tenant, rows: MirrorWrite[]) {
  if (!rows.length) return;
  try {
    await syncSequenceRows(tenant, rows);
  } catch (e) {
    console.error(
      "contact_sequences: the batch's rows could not be written",
      e instanceof Error ? e.message : e,
    );
    await Promise.all(
      rows.map((r) =>
        sequenceStub(env, r.scenario_id, r.contact_id)
          .resync()
          .catch((err: unknown) =>
            console.error(`SequenceDO.resync failed for ${r.id}`, err instanceof Error ? err.message : err),
          ),
      ),
    );
  }
}
