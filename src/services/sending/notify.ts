import type { SendOutcome } from "../../contracts/sequence";
import { sequenceName } from "../../contracts/sequence";
import type { LedgerRow } from "../ledger/types";

/** Scenario sends have a sequence to tell; rule sends and reminders do not. */
export const isScenarioSend = (ledger: LedgerRow) =>
  !!ledger.scenarioId && !!ledger.contactId && ledger.stepOrder !== null;

/** Tells the scenario engine a send is final. Injectable so tests can observe the outcome. */
export type NotifySequence = (env: Env, ledger: LedgerRow, outcome: SendOutcome) => Promise<void>;

/**
 * For scenario sends: `SequenceDO.onSendResult(outcome)` on the (scenario, contact) object, so the
 * journey moves on (executed), or records the step as skipped/failed. Other sends have no sequence.
 * Best effort with one retry: the ledger row is already final and is the source of truth.
 */
export const notifySequence: NotifySequence = async (env, ledger, outcome) => {
  if (!ledger.scenarioId || !ledger.contactId || ledger.stepOrder === null) return;
  const stub = env.SEQUENCE.get(env.SEQUENCE.idFromName(sequenceName(ledger.scenarioId, ledger.contactId)));
  for (let attempt = 1; ; attempt++) {
    try {
      await stub.onSendResult(outcome);
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
