/**
 * Where a sequence stands: whether it is done, when it must wake next (its one alarm) and what
 * its contact_sequences row shows.
 */
import type { Flow } from "../../../contracts/flow";
import type { MirrorRow, StepTrigger } from "../types";
import { childrenOf, PENDING, runOf, type SequenceState, type StepRun } from "./state";

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
  // A flow run is done when its tokens are (engine/graph.ts advance decides).
  if (s.flow) return;
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
  const token = s.parked_until === null ? tokenWake(s) : null;
  if (token !== null) times.push(token);
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

/** What the contact_sequences row last received: a write is skipped when it would not change it. */
export const syncKey = (s: SequenceState) => JSON.stringify({ ...rowView(s), run: s.journey?.no ?? null });

/**
 * Where a flow run is, for contact_sequences: its node and the compact path the per-node counts
 * read (`p`: nodes left with their outcome, `w`: nodes waited at). Written along with the row when
 * the row changes (a send, the end of the run), never on its own: a wait or an action costs no D1 row.
 */
export function journeyView(s: SequenceState): { node_id: string | null; path: string | null } {
  if (!s.flow || !s.journey) return { node_id: null, path: null };
  const waiting = (s.tokens ?? []).map((t) => t.node);
  return {
    node_id: waiting[0] ?? s.journey.path.at(-1)?.[0] ?? null,
    path: pathText(
      s.journey.path.map(([n, o]) => [n, o]),
      waiting,
    ),
  };
}

const pathText = (p: string[][], w: string[]) => JSON.stringify({ p, w });

/**
 * Where a fresh run of `flow` stands once it has walked to its first node, when that node is an
 * email: its token waits there for the send. The enrollment writes it into the run's row, so the
 * object's first transition (the send's commit) has nothing to mirror. Other first nodes: nothing
 * known in advance (null, as before).
 */
export function startView(flow: Flow | undefined): { node_id: string | null; path: string | null } {
  const first = flow?.nodes.find((n) => n.id === flow.start);
  if (first?.type !== "email") return { node_id: null, path: null };
  return { node_id: first.id, path: pathText([], [first.id]) };
}

/**
 * Whether `row` already shows what the object would mirror for `s` at `at`: the same status,
 * step, reason, run, node and path, and a next run time that is due for both (the row's planned
 * instant and the object's commit instant differ by the activation's delay, and both mean "now").
 */
export function rowShows(row: MirrorRow, s: SequenceState, at: number): boolean {
  const v = rowView(s);
  const j = journeyView(s);
  const due = (t: number | null) => t !== null && t <= at;
  return (
    row.status === v.status &&
    row.current_step_order === v.current_step_order &&
    row.stop_reason === v.stop_reason &&
    row.run_no === (s.journey?.no ?? 1) &&
    row.node_id === j.node_id &&
    row.path === j.path &&
    (row.next_run_at === v.next_run_at || (due(row.next_run_at) && due(v.next_run_at)))
  );
}

/**
 * When the next token must be looked at, or null: a wait's end, a deadline, an action's retry, and
 * a token not looked at yet (at once). A token at an email node whose send is planned waits on the
 * send (its run is in `runs`, and the send result moves it).
 */
export function tokenWake(s: SequenceState): number | null {
  if (s.status !== "active" || !s.flow) return null;
  const times: number[] = [];
  for (const t of s.tokens ?? []) {
    if (t.hold !== undefined) times.push(t.hold);
    else if (t.wake_at !== null) times.push(t.wake_at);
    else if (!(t.about !== null && s.flow.nodes.find((n) => n.id === t.node)?.type === "email"))
      times.push(t.since);
  }
  return times.length ? Math.min(...times) : null;
}
