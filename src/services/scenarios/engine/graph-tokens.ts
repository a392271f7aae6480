/** A flow journey's tokens: where they are, how they move and leave a node (graph.ts walks them). */
import type { FlowNode } from "../../../contracts/flow";
import { MINUTE_MS, nextAllowed, windowOf } from "../planning";
import type { SequenceState, Token } from "./state";

/** A node's outcome names in the path (the per-node counts read them). */
export const OUT = { yes: "yes", no: "no", sent: "sent", done: "done" } as const;

/** Node types that must not act while the scenario is paused (they have effects outside). */
export const EFFECTS = new Set<FlowNode["type"]>(["action", "sms"]);
/** Actions whose repetition would do something twice: interrupted mid-way, they are not run again. */
export const ONCE_ONLY = new Set(["create_task", "schedule_call", "send_sms", "notify"]);
export const MAX_MOVES = 500;

export const nodeOf = (s: SequenceState, id: string) => s.flow?.nodes.find((n) => n.id === id);
export const durationMs = (d: { days?: unknown; hours?: number; minutes?: number }) =>
  ((typeof d.days === "number" ? d.days : 0) * 1440 + (d.hours ?? 0) * 60 + (d.minutes ?? 0)) * MINUTE_MS;
export const zoneOf = (s: SequenceState) => s.contact_timezone || s.settings.timezone || "UTC";

/** Record that a token leaves its node with an outcome. */
export function leave(s: SequenceState, t: Token, outcome: string, at: number) {
  const run = s.journey;
  if (!run) return;
  run.path.push([t.node, outcome, at]);
  if (run.path.length > 300) run.path.splice(0, run.path.length - 300);
}

/** Move a token on to `next` (or drop it: its branch is done). Answers whether it still exists. */
export function goTo(s: SequenceState, t: Token, next: string | undefined, at: number): boolean {
  if (!next) {
    s.tokens = (s.tokens ?? []).filter((x) => x !== t);
    return false;
  }
  t.node = next;
  t.since = at;
  t.wake_at = null;
  t.about = null;
  t.attempts = 0;
  return true;
}

export function mint(s: SequenceState, node: string, at: number): Token {
  const run = s.journey as NonNullable<SequenceState["journey"]>;
  const t: Token = { id: ++run.minted, node, since: at, wake_at: null, about: null, attempts: 0 };
  s.tokens = [...(s.tokens ?? []), t];
  return t;
}

/** The next HH:MM (on the given days) at or after `since`, in the contact's zone, else the scenario's. */
export function nextTimeOfDay(s: SequenceState, hhmm: string, days: string[] | null, since: number) {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  const end = h * 60 + m + 1;
  const w = windowOf({
    timezone: zoneOf(s),
    start: hhmm,
    end: `${String(Math.floor(end / 60)).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`,
    days,
  });
  return nextAllowed(since, w);
}
