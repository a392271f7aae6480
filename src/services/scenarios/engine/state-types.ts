/** The shapes of a sequence's state (state.ts holds its transitions). */
import type { Flow } from "../../../contracts/flow";
import type { ScenarioSettings, StepDef } from "../types";

/** scheduled -> committing (cooldown/cap claimed) -> sending (ledger row written) -> final. */
export type RunStatus = "scheduled" | "committing" | "sending" | "executed" | "skipped" | "failed";
/** A steps sequence ends completed, stopped or failed; a flow run completed, converted, exited or failed. */
export type SequenceStatus = "active" | "completed" | "stopped" | "failed" | "converted" | "exited";
export type MoveReason = "window" | "cooldown" | "cap" | "paused" | "retry";

export interface Move {
  reason: MoveReason;
  from: number;
  to: number;
}

/** One step's run within the sequence (a step runs at most once per sequence). */
export interface StepRun {
  step_order: number;
  status: RunStatus;
  /** When the step logically fell due (parent event + delay). For not_opened, the open deadline. */
  due_at: number;
  /** When the engine next looks at it (moved by window, cooldown, cap; ledger check while sending). */
  run_at: number;
  /** Ledger attempt scope: bumped only when a never-claimed send was withdrawn by a pause. */
  attempt: number;
  variant: string | null;
  /** The instant the cooldown/cap slot was claimed for the current attempt. */
  commit_at: number | null;
  /** The claim of a withdrawn attempt: still on contacts.last_sent_at, so it must not block us. */
  prev_commit_at: number | null;
  /** Local day (scenario zone) whose cap counter the claim used. */
  day: string | null;
  ledger_id: string | null;
  sent_at: number | null;
  /** First human open / click applied to the children. */
  opened_at: number | null;
  clicked_at: number | null;
  /** Opens/clicks seen while the send was still in flight, applied once it is executed. */
  pending_open_at: number | null;
  pending_click_at: number | null;
  /** For a parent of not_opened children: which branch was taken (exactly one runs). */
  branch: "opened" | "not_opened" | null;
  /** Opened/clicked children are listened for until then. */
  listen_until: number | null;
  /** Why it is final (skipped/failed) or the last move. */
  reason: string | null;
  moves: Move[];
  errors: number;
}

export interface SequenceState {
  organization_id: string;
  scenario_id: string;
  contact_id: string;
  sequence_id: string;
  steps_version: number;
  status: SequenceStatus;
  stop_reason: string | null;
  enrolled_at: number;
  /** Bumped on every persisted transition; mirrored to contact_sequences.revision. */
  rev: number;
  current_step_order: number | null;
  /** Contact zone last seen (planning uses it before the scenario's). */
  contact_timezone: string | null;
  /** Suppression key of the contact's address last seen: lets one D1 batch read context and suppression. */
  email_hash: string | null;
  settings: ScenarioSettings;
  steps: StepDef[];
  runs: StepRun[];
  /** Set while the scenario is paused: due steps wait, only a safety re-check is armed. */
  parked_until: number | null;
  /** What contact_sequences last received, to skip writes that change nothing. */
  synced: string | null;
  /**
   * A journey written as a flow (PUT /flow) walks its graph (engine/graph.ts): its email nodes are
   * the `steps` (numbered by flow.orders) and `runs` are the current run's email sends. Absent for
   * a steps version, whose steps schedule each other (the functions below).
   */
  flow?: Flow;
  journey?: JourneyRun;
  /** Where the current run is: one token per branch being walked (a parallel node makes several). */
  tokens?: Token[];
  /** Split draws, kept across runs: a contact takes the same path of a split every time. */
  draws?: Record<string, string>;
  /** Earlier runs of this contact in this journey, newest last (at most 20 kept here). */
  ended?: EndedRun[];
  /** The contact_sequences row this object must create was not written yet (its write failed). */
  row_missing?: boolean;
  /** dedup_key values that started a run (event entries: one run per order), at most 500 kept. */
  keys?: string[];
}

/** The current run of a flow journey. */
export interface JourneyRun {
  no: number;
  started_at: number;
  ended_at: number | null;
  reason: string | null;
  /** What started it: the entry (segment, event, date) or an enroll call; its dedup value. */
  cause: string;
  dedup: string | null;
  /** Every node left in this run, in order: [node id, outcome, at]. */
  path: [string, string, number][];
  /** The last email node passed (a wait_for without `node` is about it). */
  last_email: string | null;
  /** Action and SMS nodes applied (or started) in this run: each applies once per run. */
  actions: string[];
  /** Tokens handed out so far in this run (their ids). */
  minted: number;
}

/** One position of a run in the graph. */
export interface Token {
  id: number;
  node: string;
  /** When it reached the node. */
  since: number;
  /** When it must be looked at again (a wait's end, a wait_for's deadline, an action's retry). */
  wake_at: number | null;
  /** A wait_for's email (its number), or the email node's run this token started. */
  about: number | null;
  attempts: number;
  /** Not looked at before then (a run that starts at a time of day). */
  hold?: number;
}

export interface EndedRun {
  no: number;
  status: SequenceStatus;
  reason: string | null;
  started_at: number;
  ended_at: number | null;
  path: [string, string, number][];
}
