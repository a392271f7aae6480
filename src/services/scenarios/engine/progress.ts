/**
 * Where a sequence stands: whether it is done, when it must wake next (its one alarm) and what
 * its contact_sequences row shows.
 */
import { childrenOf, PENDING, runOf, type SequenceState, type StepRun } from "./state";
import type { StepTrigger } from "../types";

/**
 * A sent step listens for opens/clicks until its listen_until, but only while one of its
 * opened/clicked children could still be scheduled (each step runs once).
 */
function listening(s: SequenceState, r: StepRun, now: number): boolean {
  if (r.listen_until === null || r.listen_until <= now) return false;
  const waiting = (t: StepTrigger) => childrenOf(s, r.step_order, t).some((c) => !runOf(s, c.step_order));
  return (waiting("opened") && r.branch !== "not_opened") || waiting("clicked");
}

/** Complete an active sequence with nothing left to run or listen for. */
export function maybeComplete(s: SequenceState, now: number) {
  if (s.status !== "active") return;
  if (s.runs.some((r) => PENDING.includes(r.status))) return;
  if (s.runs.some((r) => listening(s, r, now))) return;
  s.status = "completed";
}

/** When the object must wake next (its single alarm), or null. */
export function nextWake(s: SequenceState, now: number): number | null {
  const times: number[] = [];
  for (const r of s.runs) {
    if (r.status === "sending") times.push(r.run_at);
    else if ((r.status === "scheduled" || r.status === "committing") && s.parked_until === null)
      times.push(r.run_at);
    if (s.status === "active" && r.listen_until !== null && listening(s, r, now)) times.push(r.listen_until);
  }
  if (s.parked_until !== null && s.status === "active") times.push(s.parked_until);
  return times.length ? Math.min(...times) : null;
}

/** The time a run was planned for (run_at before a commit turned it into a ledger check time). */
const plannedAt = (r: StepRun) => r.moves.at(-1)?.to ?? r.due_at;

/**
 * What the contact_sequences row shows: status, current step, next run time. A send in flight
 * keeps showing the time it was planned for, so committing it changes nothing in the row and
 * costs no D1 write; the row is written again once the send's result moves the journey on.
 */
export function rowView(s: SequenceState) {
  const times = s.runs.flatMap((r) =>
    r.status === "scheduled" || r.status === "committing"
      ? [r.run_at]
      : r.status === "sending"
        ? [plannedAt(r)]
        : [],
  );
  return {
    status: s.status,
    current_step_order: s.current_step_order,
    next_run_at: s.status === "active" && times.length ? Math.min(...times) : null,
    stop_reason: s.stop_reason,
  };
}
