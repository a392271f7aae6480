import { DAY_MS, MINUTE_MS, nextAllowed, type SendWindow, windowOf } from "../planning";
import type { ScenarioSettings, StepDef, StepTrigger } from "../types";

export type {
  EndedRun,
  JourneyRun,
  Move,
  MoveReason,
  RunStatus,
  SequenceState,
  SequenceStatus,
  StepRun,
  Token,
} from "./state-types";
import type { MoveReason, RunStatus, SequenceState, SequenceStatus, StepRun } from "./state-types";

export const LISTEN_MS = 30 * DAY_MS;
export const SEND_CHECK_MS = 15 * MINUTE_MS;
export const PARK_RECHECK_MS = 12 * 60 * MINUTE_MS;
export const MAX_ERRORS = 8;
export const PENDING: readonly RunStatus[] = ["scheduled", "committing", "sending"];
export const isFinal = (r: StepRun) =>
  r.status === "executed" || r.status === "skipped" || r.status === "failed";

export const windowFor = (s: SequenceState): SendWindow =>
  windowOf({
    timezone: s.contact_timezone ?? s.settings.timezone,
    start: s.settings.send_window_start,
    end: s.settings.send_window_end,
    days: s.settings.send_days,
  });

/** The zone the daily cap's "day" is read in: the scenario's. */
export const capZone = (s: SequenceState) => s.settings.timezone || "UTC";

export const runOf = (s: SequenceState, order: number) => s.runs.find((r) => r.step_order === order);
export const stepOf = (s: SequenceState, order: number) => s.steps.find((x) => x.step_order === order);
export const childrenOf = (s: SequenceState, order: number, trigger: StepTrigger) =>
  s.steps.filter((x) => x.parent_step_order === order && x.trigger === trigger);

export function move(run: StepRun, reason: MoveReason, to: number) {
  if (to === run.run_at) return;
  run.moves.push({ reason, from: run.run_at, to });
  if (run.moves.length > 20) run.moves.splice(0, run.moves.length - 20);
  run.reason = reason;
  run.run_at = to;
}

/** Schedule a step once: due at base + delay, planned into the window. */
export function scheduleStep(s: SequenceState, step: StepDef, base: number): StepRun | null {
  if (runOf(s, step.step_order)) return null;
  const due = base + step.delay_minutes * MINUTE_MS;
  const run: StepRun = {
    step_order: step.step_order,
    status: "scheduled",
    due_at: due,
    run_at: due,
    attempt: 0,
    variant: null,
    commit_at: null,
    prev_commit_at: null,
    day: null,
    ledger_id: null,
    sent_at: null,
    opened_at: null,
    clicked_at: null,
    pending_open_at: null,
    pending_click_at: null,
    branch: null,
    listen_until: null,
    reason: null,
    moves: [],
    errors: 0,
  };
  move(run, "window", nextAllowed(due, windowFor(s)));
  s.runs.push(run);
  return run;
}

export interface NewSequenceInput {
  organization_id: string;
  scenario_id: string;
  contact_id: string;
  sequence_id: string;
  steps_version: number;
}

/** A fresh sequence with its entry steps scheduled from `at`. */
export function newSequence(
  input: NewSequenceInput,
  steps: StepDef[],
  settings: ScenarioSettings,
  contactTz: string | null,
  at: number,
  emailHash: string | null = null,
) {
  const s: SequenceState = {
    ...input,
    status: "active",
    stop_reason: null,
    enrolled_at: at,
    rev: 0,
    current_step_order: null,
    contact_timezone: contactTz,
    email_hash: emailHash,
    settings,
    steps,
    runs: [],
    parked_until: null,
    synced: null,
  };
  for (const step of steps.filter((x) => x.trigger === "entry")) scheduleStep(s, step, at);
  return s;
}

/** The send of a run was accepted: the journey moves on from `at`. */
export function markExecuted(s: SequenceState, run: StepRun, at: number) {
  run.status = "executed";
  run.sent_at = at;
  run.run_at = at;
  run.reason = null;
  s.current_step_order = run.step_order;
  if (s.status !== "active") return;
  for (const child of childrenOf(s, run.step_order, "delay")) scheduleStep(s, child, at);
  for (const child of childrenOf(s, run.step_order, "not_opened")) scheduleStep(s, child, at);
  if (childrenOf(s, run.step_order, "opened").length || childrenOf(s, run.step_order, "clicked").length) {
    run.listen_until = at + LISTEN_MS;
  }
  if (run.pending_open_at !== null) applyOpen(s, run, run.pending_open_at);
  if (run.pending_click_at !== null) applyClick(s, run, run.pending_click_at);
}

/**
 * Cancel the not_opened children whose deadline the open/click beat. Answers whether a
 * not_opened branch was already decided (a child past its deadline or already on its way).
 */
function settleNotOpened(s: SequenceState, parent: StepRun, at: number, why: string): boolean {
  let fired = parent.branch === "not_opened";
  for (const child of childrenOf(s, parent.step_order, "not_opened")) {
    const r = runOf(s, child.step_order);
    if (!r) continue;
    if (r.status === "scheduled" && at <= r.due_at) skip(r, why);
    else if (r.status !== "skipped") fired = true;
  }
  if (fired) parent.branch = "not_opened";
  return fired;
}

/** A human open of an executed step: opened children run unless the not_opened branch was taken. */
export function applyOpen(s: SequenceState, parent: StepRun, at: number) {
  if (parent.opened_at !== null) return;
  parent.opened_at = at;
  if (s.status !== "active") return;
  if (settleNotOpened(s, parent, at, "parent_opened")) return;
  parent.branch = "opened";
  for (const child of childrenOf(s, parent.step_order, "opened")) scheduleStep(s, child, at);
}

/** A human click: clicked children run, and it counts as an open for the not_opened children. */
export function applyClick(s: SequenceState, parent: StepRun, at: number) {
  if (parent.clicked_at !== null) return;
  parent.clicked_at = at;
  if (s.status !== "active") return;
  if (
    !settleNotOpened(s, parent, at, "parent_clicked") &&
    childrenOf(s, parent.step_order, "not_opened").length
  ) {
    parent.branch = "opened";
  }
  for (const child of childrenOf(s, parent.step_order, "clicked")) scheduleStep(s, child, at);
}

export function skip(run: StepRun, reason: string) {
  run.status = "skipped";
  run.reason = reason;
}

/**
 * End the sequence. Runs not yet handed to the ledger are skipped with the reason; runs already
 * `sending` are returned so the caller can withdraw their ledger rows (or await their result).
 */
export function endSequence(
  s: SequenceState,
  status: Exclude<SequenceStatus, "active">,
  reason: string | null,
): StepRun[] {
  if (s.status === "active") {
    // A flow run that is stopped (unsubscribed, scenario stopped) has exited the journey.
    s.status = s.flow && status === "stopped" ? "exited" : status;
    s.stop_reason = reason;
    if (s.journey && s.journey.ended_at === null) s.journey.reason = reason;
  }
  if (s.flow) s.tokens = [];
  s.parked_until = null;
  for (const r of s.runs)
    if (r.status === "scheduled" || r.status === "committing") skip(r, reason ?? status);
  return s.runs.filter((r) => r.status === "sending");
}
