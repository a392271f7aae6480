/**
 * Final outcomes: a ledger row's result recorded on its run, and the end of a sequence (which
 * withdraws the sends nobody has claimed yet). The caller saves the state after
 * (SequenceDO.finish); only the end with rows in flight is saved before their I/O.
 */
import { type EnginePorts, WITHDRAWN_PAUSED, WITHDRAWN_STOPPED } from "./ports";
import { maybeComplete } from "./progress";
import { endSequence, isFinal, markExecuted, move, type SequenceState, type StepRun, skip } from "./state";
import type { LedgerFinal } from "../../ledger/settle";

/** Record a final ledger outcome on its run (idempotent: a final run ignores it). */
export async function applyOutcome(
  s: SequenceState,
  run: StepRun,
  status: LedgerFinal,
  reason: string | null,
  at: number,
  ports: EnginePorts,
) {
  if (isFinal(run)) return false;
  if (status === "skipped" && reason === WITHDRAWN_PAUSED && s.status === "active") {
    // Withdrawn by a pause before anything was sent: plan it again (a new attempt scope).
    run.attempt++;
    run.prev_commit_at = run.commit_at;
    run.commit_at = null;
    run.ledger_id = null;
    run.status = "scheduled";
    move(run, "paused", ports.now());
    return true;
  }
  if (status === "executed") {
    markExecuted(s, run, at);
    maybeComplete(s, ports.now());
  } else if (status === "failed") {
    run.status = "failed";
    run.reason = reason ?? "send_failed";
    if (s.status === "active") await stop(s, "failed", `send_failed: ${run.reason}`, ports);
  } else {
    skip(run, reason ?? "send_skipped");
    if (s.status === "active")
      await stop(s, "stopped", reason === WITHDRAWN_STOPPED ? reason : `send_skipped: ${run.reason}`, ports);
  }
  // Saved with the rest of the transition (SequenceDO.finish).
  return true;
}

/** End the sequence and withdraw the ledger rows nobody has claimed yet. */
export async function stop(
  s: SequenceState,
  status: Exclude<SequenceState["status"], "active">,
  reason: string | null,
  ports: EnginePorts,
) {
  const wasActive = s.status === "active";
  // A flow run ends where its tokens are: the path says so (the node counts it as entered there).
  if (wasActive && s.flow && s.journey)
    for (const t of s.tokens ?? [])
      s.journey.path.push([t.node, status === "stopped" ? "exited" : status, ports.now()]);
  const inFlight = endSequence(s, status, reason);
  if (wasActive && s.journey && s.journey.ended_at === null) s.journey.ended_at = ports.now();
  // The end is saved before the rows in flight are withdrawn; without any, with the transition.
  if (inFlight.length) ports.persist(s);
  for (const run of inFlight) {
    const l = await ports.settleLedger(s, run, reason ?? status);
    if (!l) skip(run, reason ?? status);
    else if (l.status !== "pending" && l.status !== "sending")
      await applyOutcome(s, run, l.status, l.reason, l.at, ports);
    // Claimed by the SEND consumer: its onSendResult will finish the run.
  }
}
