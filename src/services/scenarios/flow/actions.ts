/**
 * A flow's action and SMS nodes, applied through the rules engine's action code (the same tags,
 * fields, scores, tasks, webhooks, SMS and enrollments as a rule's). The key of each application
 * is (sequence, run, node): a retried webhook carries the same webhook-id and a score change is
 * recorded once.
 */
import { now } from "../../../lib/clock";
import type { Tenant } from "../../../lib/tenant";
import { findContact } from "../../contacts/store";
import { notifyMembers } from "../../notifications/store";
import { executeAction } from "../../rules/actions";
import { storeContactEvents } from "../../contacts/changes";
import type { RuleAction } from "../../rules/definitions";
import { ruleDeps } from "../../rules/deps";
import type { ActionOutcome } from "../../rules/types";
import type { SequenceState } from "../engine/state";

export async function runJourneyAction(
  env: Env,
  tenant: Tenant,
  s: SequenceState,
  nodeId: string,
  action: { type: string; config: Record<string, unknown> },
): Promise<ActionOutcome> {
  const contact = await findContact(tenant, s.contact_id);
  if (!contact) return { status: "skipped", reason: "contact erased" };
  const key = `${s.sequence_id}:${s.journey?.no ?? 1}:${nodeId}`;
  if (action.type === "notify") {
    const title = String(action.config.title ?? "").slice(0, 300);
    const body = String(action.config.body ?? `${contact.email} reached ${nodeId}`).slice(0, 2000);
    const userId = typeof action.config.user_id === "string" ? action.config.user_id : null;
    await notifyMembers(tenant, title, body, userId);
    return { status: "executed", detail: "notified" };
  }
  const deps = ruleDeps(env, tenant);
  const event = {
    id: key,
    trigger: "contact_updated" as const,
    contact_id: contact.id,
    occurred_at: now(),
    properties: { scenario_id: s.scenario_id, node_id: nodeId },
    depth: 0,
    scenario_id: s.scenario_id,
  };
  const out = await executeAction(
    {
      deps,
      rule: { id: `journey:${s.scenario_id}`, name: `journey ${s.scenario_id}` },
      event,
      index: 0,
      contact,
    },
    { ...action, delay_minutes: 0 } as RuleAction,
  );
  // What the action caused (a new tag, a score that rose) goes through the EVENTS queue as a
  // contact_updated event, to the rules and the journeys it may start: never inline, since this
  // runs inside the contact's SequenceDO and a journey it starts may lead back to it.
  if (out.status === "executed" && out.caused?.length) {
    await storeContactEvents(
      env,
      tenant,
      out.caused.map((c, i) => ({
        type: "contact_updated" as const,
        contactId: contact.id,
        key: `${key}:${i}`,
        properties:
          c.trigger === "tag_added"
            ? { tags_added: [c.properties.tag], by: "journey" }
            : { ...c.properties, by: "journey" },
      })),
    );
  }
  return out;
}
