/**
 * The walk of a flow journey (PUT /flow): its tokens move from node to node until each waits (an
 * email in flight, a wait, a wait_for). Email nodes are sent by the same code as steps (runner.ts:
 * window, cooldown, cap, variant, ledger); everything else happens here. The SequenceDO and the
 * simulator run it through their ports. A decision with an effect outside is persisted before the
 * await that acts on it (an action node is marked before it runs, so it applies at most once per
 * run); moves, waits and plans are saved with the rest of the transition (SequenceDO.finish), so a
 * wait or a condition costs no write of its own.
 */
import type { FlowNode } from "../../../contracts/flow";
import { sha256Hex } from "../../../lib/crypto";
import { DAY_MS } from "../planning";
import { learn } from "./gate";
import { stop } from "./outcome";
import type { EnginePorts } from "./ports";
import {
  isFinal,
  PARK_RECHECK_MS,
  PENDING,
  runOf,
  type SequenceState,
  scheduleStep,
  stepOf,
  type Token,
} from "./state";

import { endRun } from "./graph-runs";
import {
  durationMs,
  EFFECTS,
  goTo,
  leave,
  MAX_MOVES,
  mint,
  nextTimeOfDay,
  nodeOf,
  ONCE_ONLY,
  OUT,
} from "./graph-tokens";

export { OUT, mint } from "./graph-tokens";
export {
  archiveRun,
  endRun,
  goalReached,
  mayStartRun,
  newFlowSequence,
  nextRun,
  reflowTo,
  resolveWaits,
  startRun,
} from "./graph-runs";

/** Deterministic draw in [0, 1) for (contact, node): the same path every run. */
async function draw(s: SequenceState, node: string) {
  const h = await sha256Hex(`${s.scenario_id}:${s.contact_id}:${node}`);
  return Number.parseInt(h.slice(0, 13), 16) / 2 ** 52;
}

/**
 * One token at its node: act, then either move it on (true) or leave it waiting (false). Waiting
 * tokens have `wake_at` (or wait on their email's send).
 */
async function stepToken(s: SequenceState, t: Token, ports: EnginePorts, now: number): Promise<boolean> {
  const n = nodeOf(s, t.node);
  const run = s.journey;
  if (!n || !run) {
    // The node is gone (a newer version removed it): this branch ends.
    goTo(s, t, undefined, now);
    return false;
  }
  if (EFFECTS.has(n.type) && s.parked_until !== null) return false;
  // A run that starts at a time of day (a date entry's `at`) holds until then.
  if (t.hold !== undefined) {
    if (t.hold > now) return false;
    t.since = Math.max(t.since, t.hold);
    t.hold = undefined;
  }
  switch (n.type) {
    case "email": {
      const order = s.flow?.orders[n.id];
      if (order === undefined) return goTo(s, t, n.next, now);
      const existing = runOf(s, order);
      if (t.about !== order) {
        if (existing) {
          // Sent earlier in this run (a loop came back): at most one send per (run, email node).
          leave(s, t, "already_sent", now);
          return goTo(s, t, n.next, now);
        }
        t.about = order;
        const step = stepOf(s, order);
        if (step) scheduleStep(s, step, now);
        return false;
      }
      if (!existing || !isFinal(existing)) return false;
      if (existing.status === "executed") {
        run.last_email = n.id;
        leave(s, t, OUT.sent, existing.sent_at ?? now);
        return goTo(s, t, n.next, existing.sent_at ?? now);
      }
      // Skipped or failed: the run's outcome handled it (runner/outcome.ts); this branch ends.
      leave(s, t, existing.status, now);
      return goTo(s, t, undefined, now);
    }
    case "wait": {
      if (t.wake_at === null) t.wake_at = await waitEnd(s, n, t.since, ports);
      if (t.wake_at > now) return false;
      leave(s, t, OUT.done, t.wake_at);
      return goTo(s, t, n.next, t.wake_at);
    }
    case "wait_for": {
      if (t.wake_at === null) {
        const about = n.node ?? run.last_email;
        t.about = about ? (s.flow?.orders[about] ?? null) : null;
        t.wake_at = t.since + durationMs(n.within);
        // The email was already opened or clicked (before the send's result moved us here).
        const seen = emailEvent(s, t.about, n.event);
        if (seen !== null) {
          leave(s, t, OUT.yes, Math.max(seen, t.since));
          return goTo(s, t, n.yes, Math.max(seen, t.since));
        }
      }
      if (t.wake_at > now) return false;
      leave(s, t, OUT.no, t.wake_at);
      return goTo(s, t, n.no, t.wake_at);
    }
    case "condition": {
      const yes = ports.evaluate ? await ports.evaluate(s, n.criteria) : false;
      leave(s, t, yes ? OUT.yes : OUT.no, now);
      return goTo(s, t, yes ? n.yes : n.no, now);
    }
    case "split": {
      s.draws ??= {};
      let name = s.draws[n.id];
      if (!name || !n.paths.some((p) => p.name === name)) {
        const r = (await draw(s, n.id)) * 100;
        let acc = 0;
        const picked = n.paths.find((p) => {
          acc += p.percent;
          return acc > r;
        });
        name = (picked ?? n.paths[n.paths.length - 1])?.name as string;
        s.draws[n.id] = name;
      }
      const path = n.paths.find((p) => p.name === name);
      leave(s, t, name, now);
      return goTo(s, t, path?.next, now);
    }
    case "parallel": {
      leave(s, t, OUT.done, now);
      const [first, ...rest] = n.paths;
      for (const p of rest) mint(s, p, now);
      return goTo(s, t, first, now);
    }
    case "action":
    case "sms": {
      const action =
        n.type === "sms" ? { type: "send_sms", config: { content: n.content, sender: n.sender } } : n.action;
      // `about` -1: this token started the action (an interruption); else the run passed here before.
      const mine = t.about === -1;
      if (run.actions.includes(n.id) && !mine) {
        leave(s, t, "already_applied", now);
        return goTo(s, t, n.next, now);
      }
      if (mine && t.wake_at === null && ONCE_ONLY.has(action.type)) {
        // Interrupted between its start and its result: it may have happened, so never twice.
        leave(s, t, "interrupted", now);
        return goTo(s, t, n.next, now);
      }
      if (t.wake_at !== null && t.wake_at > now) return false;
      // An action acts outside: only for a live scenario (paused: it waits) and an existing contact.
      const ctx = await ports.loadContext(s);
      learn(s, ctx);
      if (!ctx.settings || ctx.settings.status === "stopped" || !ctx.contact) {
        await stop(s, "stopped", ctx.contact ? "scenario_stopped" : "contact_erased", ports);
        return false;
      }
      if (ctx.settings.status !== "active") {
        s.parked_until = now + PARK_RECHECK_MS;
        ports.persist(s);
        return false;
      }
      if (!run.actions.includes(n.id)) run.actions.push(n.id);
      t.about = -1;
      t.wake_at = null;
      ports.persist(s);
      const out = ports.runAction
        ? await ports.runAction(s, n.id, action)
        : { status: "skipped" as const, reason: "not run in a simulation" };
      if (out.status === "retry" && t.attempts < 8) {
        t.attempts++;
        t.wake_at = now + Math.min(3600_000, 30_000 * 2 ** t.attempts);
        ports.persist(s);
        return false;
      }
      const outcome =
        out.status === "executed"
          ? "applied"
          : `${out.status}${"reason" in out && out.reason ? `: ${out.reason}` : ""}`;
      leave(s, t, outcome.slice(0, 200), now);
      return goTo(s, t, n.next, now);
    }
    case "exit": {
      leave(s, t, "exit", now);
      // This branch is done; the run ends (other branches, if any, end where they are).
      goTo(s, t, undefined, now);
      await stop(s, "completed", "exit", ports);
      return false;
    }
  }
}

/** A wait's end: after a duration, at a date attribute (plus offset), or the next HH:MM on given days. */
async function waitEnd(
  s: SequenceState,
  n: Extract<FlowNode, { type: "wait" }>,
  since: number,
  ports: EnginePorts,
) {
  if (n.until_time) return nextTimeOfDay(s, n.until_time, Array.isArray(n.days) ? n.days : null, since);
  if (n.until_attribute) {
    const value = ports.contactValue ? await ports.contactValue(s, n.until_attribute) : null;
    const at = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : Number.NaN;
    // No date (or not one): the wait ends at once rather than holding the run forever.
    if (!Number.isFinite(at)) return since;
    return Math.max(since, at + (n.offset_days ?? 0) * DAY_MS);
  }
  return since + durationMs(n);
}

/** When the email (its number) had the event: an open counts a click too. */
function emailEvent(s: SequenceState, order: number | null, event: string): number | null {
  if (order === null || (event !== "opened" && event !== "clicked")) return null;
  const r = runOf(s, order);
  if (r?.status !== "executed") return null;
  if (event === "clicked") return r.clicked_at;
  const times = [r.opened_at, r.clicked_at].filter((x): x is number => x !== null);
  return times.length ? Math.min(...times) : null;
}

/**
 * Move every token that can move, until each waits (bounded: a loop without a wait cannot be
 * saved, and MAX_MOVES guards the rest). Then a run with nothing left ends completed.
 */
export async function advance(s: SequenceState, ports: EnginePorts): Promise<void> {
  if (!s.flow || !s.journey || s.status !== "active") return;
  let moves = 0;
  for (let moved = true; moved && moves < MAX_MOVES && s.status === "active"; ) {
    moved = false;
    for (const t of [...(s.tokens ?? [])]) {
      if (s.status !== "active") break;
      if (!(s.tokens ?? []).includes(t)) continue;
      const type = nodeOf(s, t.node)?.type ?? "gone";
      const step = () => stepToken(s, t, ports, ports.now());
      if (await (ports.measure ? ports.measure(`node:${type}`, step) : step())) {
        moved = true;
        moves++;
      } else if (!(s.tokens ?? []).includes(t)) moved = true;
    }
  }
  if (s.status === "active" && s.flow.goal && "criteria" in s.flow.goal && ports.evaluate) {
    if (await ports.evaluate(s, s.flow.goal.criteria)) await stop(s, "converted", "goal", ports);
  }
  if (s.status === "active" && !(s.tokens ?? []).length && !s.runs.some((r) => PENDING.includes(r.status)))
    endRun(s, "completed", null, ports.now());
}
