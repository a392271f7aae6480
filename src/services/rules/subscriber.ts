import type { InternalEventType, NormalizedEvent } from "../../contracts/events";
import type { Tenant } from "../../lib/tenant";
import type { EventEffects } from "../events/types";
import type { RuleTrigger } from "./definitions";
import { recordedOrder } from "../orders/purchases";
import { ruleDeps } from "./deps";
import { evaluateRules } from "./engine";
import type { RuleDeps, RuleEvent } from "./types";

/** Normalized event types that are rule triggers, and the trigger each is. */
const TRIGGER_OF: Partial<Record<InternalEventType, RuleTrigger>> = {
  opened: "email_opened",
  clicked: "email_clicked",
  bounced: "email_bounced",
  unsubscribed: "unsubscribed",
  page_visit: "page_visit",
  purchase: "purchase",
  form_submit: "form_submit",
  replied: "email_replied",
  contact_created: "contact_created",
  contact_updated: "contact_updated",
  segment_entered: "segment_entered",
  date_reached: "date_reached",
  rfm_segment_changed: "rfm_segment_changed",
};

/**
 * The rule event of a normalized event, or null when no rule can fire on it: no contact, not a
 * trigger, or a machine open or click (proxies and scanners are not people engaging).
 */
export function ruleEventOf(e: NormalizedEvent): RuleEvent | null {
  const trigger = TRIGGER_OF[e.type];
  if (!trigger || !e.contact_id || e.machine) return null;
  return {
    id: e.id,
    trigger,
    contact_id: e.contact_id,
    occurred_at: e.occurred_at,
    properties: { ...e.properties, ...(e.bounce_type ? { bounce_type: e.bounce_type } : {}) },
    depth: e.depth ?? 0,
    message_id: e.message_id,
    scenario_id: e.scenario_id,
  };
}

/**
 * Evaluate the rules for one applied event (idempotent per event id, as subscribers must be). When
 * engagement scoring raised the contact's score, a lead_score_high event follows, so a threshold
 * reached by opens and clicks fires as well as one reached by a rule's points.
 */
export async function evaluateAppliedEvent(
  deps: RuleDeps,
  e: NormalizedEvent,
  effects: EventEffects,
): Promise<void> {
  const event = ruleEventOf(e);
  // A purchase fires rules once per order: for the event that recorded it, not a retry or a twin.
  const twin = e.type === "purchase" && !(await recordedOrder(deps.tenant, e));
  if (event && !twin) await evaluateRules(deps, event);
  const before = effects.score_before;
  const after = effects.score_after;
  if (e.contact_id && before !== null && after !== null && after > before) {
    await evaluateRules(deps, {
      id: `${e.id}:score`,
      trigger: "lead_score_high",
      contact_id: e.contact_id,
      occurred_at: e.occurred_at,
      properties: { score_before: before, score_after: after },
      depth: (e.depth ?? 0) + 1,
    });
  }
}

/** The EVENTS consumer's subscriber (src/services/events/subscribers.ts runs it after the sequence forwarder). */
export const rulesSubscriber = {
  name: "rules",
  handle: (event: NormalizedEvent, ctx: { env: Env; tenant: Tenant; effects: EventEffects }) =>
    evaluateAppliedEvent(ruleDeps(ctx.env, ctx.tenant), event, ctx.effects),
};

/**
 * contact_created: evaluate the rules for a contact just created. Whatever creates contacts
 * (API, CSV import, behaviour events) calls this once per new contact; the event id is derived from
 * the contact id, so a second call changes nothing.
 */
export async function evaluateContactCreated(
  deps: RuleDeps,
  contact: { id: string; createdAt: number },
): Promise<void> {
  await evaluateRules(deps, {
    id: `created:${contact.id}`,
    trigger: "contact_created",
    contact_id: contact.id,
    occurred_at: contact.createdAt,
    properties: {},
    depth: 0,
  });
}
