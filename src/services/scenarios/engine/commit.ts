/**
 * From a claimed slot to a ledger row, and from the ledger row to the run's outcome when the
 * SEND consumer's report did not arrive.
 */
import { nextAllowed, nextLocalMidnight } from "../planning";
import { applyOutcome } from "./outcome";
import type { ClaimResult, EnginePorts } from "./ports";
import {
  capZone,
  move,
  SEND_CHECK_MS,
  type SequenceState,
  type StepRun,
  skip,
  stepOf,
  windowFor,
} from "./state";
import type { LedgerState } from "../../ledger/settle";

/** After the claim: move the run (cooldown, cap) or hand it to the ledger. */
export async function afterClaim(
  s: SequenceState,
  run: StepRun,
  res: ClaimResult,
  t: number,
  ports: EnginePorts,
) {
  if (run.status !== "committing") return; // stopped while we waited
  const w = windowFor(s);
  if (!res.ok) {
    run.status = "scheduled";
    run.commit_at = null;
    if (res.reason === "cooldown") move(run, "cooldown", nextAllowed(Math.max(res.until, t), w));
    else move(run, "cap", nextAllowed(nextLocalMidnight(t, capZone(s)), w));
    ports.persist(s);
    return;
  }
  // Not persisted here: the claim's decision (status committing, commit_at) already is, and the
  // ledger row's key is the run's, so an object restarted before the transition is saved finds the
  // claim by its stamp (runner.ts attemptSend) and the row by its key. The transition's one save
  // (SequenceDO.finish) records "sending" with the row's id: one DO row written per send, not two.
  run.status = "sending";
  run.run_at = t + SEND_CHECK_MS;
  await commit(s, run, ports);
}

/** Write the ledger row and enqueue the send (idempotent: the key is the run's). */
export async function commit(s: SequenceState, run: StepRun, ports: EnginePorts) {
  const step = stepOf(s, run.step_order);
  const variant = step?.variants.find((v) => v.name === run.variant) ?? step?.variants[0];
  if (!step || !variant) {
    skip(run, "step_missing");
    return;
  }
  const res = await ports.commitSend({
    state: s,
    run,
    template_id: variant.template_id,
    variant_id: variant.id,
    step_id: step.step_id,
  });
  if (run.status !== "sending" || run.ledger_id) return;
  // Saved with the transition: lost, the next check finds the row again by its idempotency key.
  run.ledger_id = res.ledger_id;
  if (res.status === "executed" || res.status === "failed" || res.status === "skipped")
    await settleFromLedger(s, run, res, ports);
}

async function settleFromLedger(s: SequenceState, run: StepRun, l: LedgerState, ports: EnginePorts) {
  // (A row withdrawn by a pause is planned again by applyOutcome.)
  if (l.status === "executed" || l.status === "failed" || l.status === "skipped") {
    await applyOutcome(s, run, l.status, l.reason, l.at, ports);
  }
}

/** The longest wait between two looks at a row still waiting to be sent. */
export const MAX_SEND_CHECK_MS = 6 * 3_600_000;

/**
 * When to look again at a row still waiting: as long after now as it has waited since its commit
 * (15 min, 30, 1 h, 2 h ... up to 6 h). The look is only a safety net for a lost send result, and a
 * long queue (an account's send rate, a backlog) would otherwise wake every waiting object every
 * 15 minutes: a 100,000-recipient journey at 14 emails/s takes two hours to go out.
 */
export function nextSendCheck(run: StepRun, t: number): number {
  const waited = t - (run.commit_at ?? t);
  return t + Math.min(MAX_SEND_CHECK_MS, Math.max(SEND_CHECK_MS, waited));
}

/** A run handed to the ledger: make sure the row exists, then look whether it became final. */
export async function checkSending(s: SequenceState, run: StepRun, ports: EnginePorts) {
  if (!run.ledger_id) {
    await commit(s, run, ports);
    return;
  }
  const l = await ports.ledgerState(run.ledger_id);
  if (run.status !== "sending") return;
  if (!l) {
    skip(run, "ledger_missing");
    ports.persist(s);
    return;
  }
  if (l.status === "pending" || l.status === "sending") {
    run.run_at = nextSendCheck(run, ports.now());
    ports.persist(s);
    return;
  }
  await settleFromLedger(s, run, l, ports);
}
