/**
 * Events on a sequence (EVENTS consumer -> SequenceDO.onEvent, or the simulator): opens and
 * clicks schedule the children that wait for them, stop signals end the sequence. The caller has
 * already deduplicated the event by id, and saves the state after (SequenceDO.finish).
 */
import type { SequenceEvent } from "../../../contracts/sequence";
import { endRun, goalReached, resolveWaits } from "./graph";
import type { EnginePorts } from "./ports";
import { maybeComplete } from "./progress";
import { stop } from "./runner";
import { applyClick, applyOpen, runOf, type SequenceState } from "./state";

export type EventInput = Pick<
  SequenceEvent,
  "type" | "step_order" | "machine" | "occurred_at" | "name" | "properties"
>;

/**
 * A flow run hears an event: the goal converts it, exit_on (and a complaint) ends it, a wait_for
 * that waited for it takes its yes branch. The caller walks the run on (engine/graph.ts advance).
 */
async function onFlowEvent(s: SequenceState, ev: EventInput, ports: EnginePorts): Promise<string> {
  const flow = s.flow as NonNullable<SequenceState["flow"]>;
  if (ev.machine && (ev.type === "opened" || ev.type === "clicked")) return "machine_ignored";
  if (goalReached(s, ev)) {
    await stop(s, "converted", "goal", ports);
    return "converted";
  }
  // A soft bounce (Transient) never reaches here: the EVENTS consumer does not forward it.
  if (ev.type === "complained" || flow.exit_on.includes(ev.type as (typeof flow.exit_on)[number])) {
    await stop(s, "exited", ev.type, ports);
    return "exited";
  }
  if (ev.type === "opened" || ev.type === "clicked") {
    const run = ev.step_order === null ? undefined : runOf(s, ev.step_order);
    if (run?.status === "executed") {
      if (ev.type === "opened") applyOpen(s, run, ev.occurred_at);
      else applyClick(s, run, ev.occurred_at);
    } else if (run && (run.status === "committing" || run.status === "sending")) {
      if (ev.type === "opened") run.pending_open_at ??= ev.occurred_at;
      else run.pending_click_at ??= ev.occurred_at;
    }
  }
  const moved = resolveWaits(s, ev, ev.occurred_at);
  return moved ? ev.type : "no_wait";
}

export { endRun };

/** Apply one (already deduplicated) event. Answers what it did, for the caller's log and tests. */
export async function applySequenceEvent(
  s: SequenceState,
  ev: EventInput,
  ports: EnginePorts,
): Promise<string> {
  if (s.status !== "active") return "inactive";
  if (s.flow) return onFlowEvent(s, ev, ports);
  switch (ev.type) {
    case "opened":
    case "clicked": {
      // Machine opens (Apple MPP, proxies) and scanner clicks never trigger steps.
      if (ev.machine) return "machine_ignored";
      const run = ev.step_order === null ? undefined : runOf(s, ev.step_order);
      if (!run) return "no_such_step";
      if (run.status === "executed") {
        if (ev.type === "opened") applyOpen(s, run, ev.occurred_at);
        else applyClick(s, run, ev.occurred_at);
      } else if (run.status === "committing" || run.status === "sending") {
        // Seen before the send result: keep it, apply it once the send is recorded.
        if (ev.type === "opened") run.pending_open_at ??= ev.occurred_at;
        else run.pending_click_at ??= ev.occurred_at;
      } else return "step_not_sent";
      maybeComplete(s, ports.now());
      return ev.type;
    }
    case "bounced":
    case "complained":
      await stop(s, "stopped", ev.type, ports);
      return "stopped";
    case "unsubscribed":
      if (!s.settings.stop_on_unsubscribe) return "kept";
      await stop(s, "stopped", ev.type, ports);
      return "stopped";
    case "replied":
      if (!s.settings.stop_on_reply) return "kept";
      await stop(s, "stopped", ev.type, ports);
      return "stopped";
    default:
      // Behaviour events concern flow journeys only.
      return "ignored";
  }
}
