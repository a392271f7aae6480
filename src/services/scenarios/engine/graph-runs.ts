/** A flow journey's runs: start, goal, end, archive, re-entry (graph.ts walks a run's tokens). */
import type { Flow, FlowReentry } from "../../../contracts/flow";
import type { StartRunInput } from "../../../contracts/sequence";
import { DAY_MS } from "../planning";
import { type EndedRun, endSequence, type SequenceState, type SequenceStatus } from "./state";

import { goTo, leave, mint, nextTimeOfDay, nodeOf, OUT } from "./graph-tokens";

/** End the current run (tokens dropped; sends not handed to the ledger skipped, see endSequence). */
export function endRun(
  s: SequenceState,
  status: Exclude<SequenceStatus, "active">,
  reason: string | null,
  at: number,
) {
  if (s.status !== "active") return;
  endSequence(s, status, reason);
  s.tokens = [];
  if (s.journey) {
    s.journey.ended_at = at;
    s.journey.reason = reason;
  }
}

/**
 * An event for the waiting tokens: the wait_for nodes it satisfies take their yes branch. Answers
 * how many moved.
 */
export function resolveWaits(
  s: SequenceState,
  ev: { type: string; step_order: number | null; name?: string | null; properties?: Record<string, unknown> },
  at: number,
): number {
  let moved = 0;
  for (const t of [...(s.tokens ?? [])]) {
    const n = nodeOf(s, t.node);
    if (n?.type !== "wait_for" || t.wake_at === null || at > t.wake_at || at < t.since) continue;
    const matches =
      n.event === ev.type || (n.event === "opened" && ev.type === "clicked")
        ? (n.event !== "opened" && n.event !== "clicked" && n.event !== "replied") ||
          t.about === null ||
          ev.step_order === t.about ||
          (n.event === "replied" && ev.step_order === null)
        : false;
    if (!matches) continue;
    if (n.event === "custom" && n.name && ev.name !== n.name) continue;
    leave(s, t, OUT.yes, at);
    goTo(s, t, n.yes, at);
    moved++;
  }
  return moved;
}

/** Whether a goal event `{event, name?, properties?}` is this event. */
export function goalReached(
  s: SequenceState,
  ev: { type: string; name?: string | null; properties?: Record<string, unknown> },
): boolean {
  const g = s.flow?.goal;
  if (!g || !("event" in g)) return false;
  if (g.event !== ev.type && !(g.event === "opened" && ev.type === "clicked")) return false;
  if (g.name && ev.name !== g.name) return false;
  return Object.entries(g.properties ?? {}).every(([k, v]) => String(ev.properties?.[k]) === String(v));
}

/** Whether a new run may start now, by the re-entry policy and the dedup key. */
export function mayStartRun(
  s: SequenceState,
  policy: FlowReentry,
  dedup: string | null,
  at: number,
): { ok: true } | { ok: false; reason: string } {
  if (s.status === "active") return { ok: false, reason: "active_run" };
  if (dedup && (s.keys ?? []).includes(dedup)) return { ok: false, reason: "duplicate_key" };
  if (policy.policy === "once") return { ok: false, reason: "already_ran" };
  const last = s.journey?.ended_at ?? s.ended?.at(-1)?.ended_at ?? null;
  if (policy.policy === "after_days" && last !== null && at < last + (policy.days ?? 1) * DAY_MS)
    return { ok: false, reason: "reentry_too_soon" };
  return { ok: true };
}

/** The summary of the run that just ended, kept with the state (the last 20). */
export function archiveRun(s: SequenceState): EndedRun | null {
  const run = s.journey;
  if (!run) return null;
  const ended: EndedRun = {
    no: run.no,
    status: s.status,
    reason: s.stop_reason ?? run.reason,
    started_at: run.started_at,
    ended_at: run.ended_at,
    path: run.path,
  };
  s.ended = [...(s.ended ?? []), ended].slice(-20);
  return ended;
}

/**
 * Start a run (the first, or the next one of a journey with re-entry) at the flow's start; with
 * `atTime` ("HH:MM") it holds there until that time of day.
 */
export function startRun(
  s: SequenceState,
  at: number,
  cause: string,
  dedup: string | null,
  atTime: string | null = null,
) {
  if (!s.flow) return;
  if (s.journey && s.status !== "active") archiveRun(s);
  s.journey = {
    no: (s.journey?.no ?? 0) + 1,
    started_at: at,
    ended_at: null,
    reason: null,
    cause,
    dedup,
    path: [],
    last_email: null,
    actions: [],
    minted: 0,
  };
  if (dedup) s.keys = [...(s.keys ?? []), dedup].slice(-500);
  s.status = "active";
  s.stop_reason = null;
  s.enrolled_at = at;
  s.current_step_order = null;
  s.parked_until = null;
  s.runs = [];
  s.tokens = [];
  const t = mint(s, s.flow.start, at);
  if (atTime) t.hold = nextTimeOfDay(s, atTime, null, at);
}

/** A fresh sequence of a flow journey, its first run at the start. */
export function newFlowSequence(
  input: {
    organization_id: string;
    scenario_id: string;
    contact_id: string;
    sequence_id: string;
    steps_version: number;
  },
  flow: NonNullable<SequenceState["flow"]>,
  steps: SequenceState["steps"],
  settings: SequenceState["settings"],
  contactTz: string | null,
  at: number,
  emailHash: string | null,
  cause = "entry",
  dedup: string | null = null,
  atTime: string | null = null,
): SequenceState {
  const s: SequenceState = {
    ...input,
    status: "completed",
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
    flow,
    draws: {},
    ended: [],
    keys: [],
  };
  startRun(s, at, cause, dedup, atTime);
  return s;
}

/**
 * The next run of a sequence whose last run ended (and was archived as `ended`): it follows the
 * journey as it is now.
 */
export function nextRun(
  s: SequenceState,
  pre: { flow: Flow; steps: SequenceState["steps"]; settings: SequenceState["settings"] },
  version: number,
  at: number,
  input: StartRunInput,
  ended: EndedRun | null,
) {
  s.flow = pre.flow;
  s.steps = pre.steps;
  s.settings = pre.settings;
  s.steps_version = version;
  startRun(s, at, input.cause, input.dedup ?? null, input.at_time ?? null);
  s.ended = (s.ended ?? []).filter((r) => r !== ended).concat(ended ? [ended] : []);
}

/** A run moved to a newer version of its journey: tokens at removed nodes dropped; answers how many. */
export function reflowTo(
  s: SequenceState,
  flow: Flow,
  steps: SequenceState["steps"],
  version: number,
): number {
  const ids = new Set(flow.nodes.map((n) => n.id));
  const removed = (s.tokens ?? []).filter((t) => !ids.has(t.node)).length;
  s.flow = flow;
  s.steps = steps;
  s.steps_version = version;
  s.tokens = (s.tokens ?? []).filter((t) => ids.has(t.node));
  return removed;
}
