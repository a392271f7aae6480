/**
 * Whether the journey may act now (scenario status, the contact's status and suppression), read
 * from the engine context, and what the sequence learns from it.
 */
import type { EngineContext } from "./ports";
import type { SequenceState } from "./state";

export type Gate = { kind: "ok" } | { kind: "stop"; reason: string } | { kind: "park" };

/** Whether anything may be sent for this sequence now (scenario status, consent, suppression). */
export function gate(ctx: EngineContext): Gate {
  if (!ctx.settings || ctx.settings.status === "stopped") return { kind: "stop", reason: "scenario_stopped" };
  if (!ctx.contact) return { kind: "stop", reason: "contact_erased" };
  if (ctx.contact.status !== "subscribed") return { kind: "stop", reason: `contact_${ctx.contact.status}` };
  if (ctx.contact.suppressed) return { kind: "stop", reason: "suppressed" };
  if (ctx.settings.status !== "active") return { kind: "park" };
  return { kind: "ok" };
}

/** Keep what the context says about the scenario and the contact. */
export function learn(s: SequenceState, ctx: EngineContext) {
  if (ctx.settings) s.settings = ctx.settings;
  if (ctx.contact) {
    s.contact_timezone = ctx.contact.timezone;
    s.email_hash = ctx.contact.email_hash ?? s.email_hash;
  }
}
