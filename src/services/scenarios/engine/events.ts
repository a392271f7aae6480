/**
 * Events on a sequence (EVENTS consumer -> SequenceDO.onEvent, or the simulator): opens and
 * clicks schedule the children that wait for them, stop signals end the sequence. The caller has
 * already deduplicated the event by id.
 */
import type { EnginePorts } from "./ports";
import { maybeComplete } from "./progress";
import { stop } from "./runner";
import { applyClick, applyOpen, runOf, type SequenceState } from "./state";

export interface EventInput {
  type: "opened" | "clicked" | "bounced" | "complained" | "unsubscribed" | "replied";
  step_order: number | null;
  machine: boolean;
  occurred_at: number;
}

/** Apply one (already deduplicated) event. Answers what it did, for the caller's log and tests. */
export async function applySequenceEvent(
  s: SequenceState,
  ev: EventInput,
  ports: EnginePorts,
): Promise<string> {
  if (s.status !== "active") return "inactive";
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
      ports.persist(s);
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
  }
}
