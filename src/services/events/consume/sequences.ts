import { sequencesOfContact, tellActiveSequences } from "../../scenarios/sequence-keys";
import { and, eq, or, sql } from "drizzle-orm";
import {
  BEHAVIOUR_EVENT_TYPES,
  customName,
  type BehaviourEventType,
  type NormalizedEvent,
} from "../../../contracts/events";
import type { Tenant } from "../../../lib/tenant";
import { readOnce } from "../../../lib/batch-reads";
import { tenantSql } from "../../../lib/tenant-sql";
import { isSequenceEventType, sequenceName } from "../../../contracts/sequence";
import { contactSequences, scenarios } from "../../../db/schema";
import type { EventSubscriber } from "../types";

/**
 * Forward opened / clicked / bounced / complained / unsubscribed / replied to the contact's
 * SequenceDOs. Opens and clicks concern the scenario that sent the message, so only its sequence
 * hears them (with the step), and only when the scenario does something with them
 * (hearsEngagement); a stop signal reaches every sequence of the contact, including the ones the
 * opt-out itself just stopped, so their DOs cancel their timers. Machine opens and clicks are not
 * forwarded: they must never trigger opened-steps.
 */
export const forwardToSequences: EventSubscriber = {
  name: "sequence-do",
  async handle(event, { env, tenant }) {
    const type = event.type;
    const contactId = event.contact_id;
    if (contactId && isBehaviourEvent(type))
      return forwardBehaviour(env, tenant, { ...event, type }, contactId);
    if (!contactId || event.machine || !isSequenceEventType(type)) return;
    if (event.type === "bounced" && event.bounce_type === "Transient") return;
    const engagement = type === "opened" || type === "clicked";
    if (engagement && !event.scenario_id) return;
    if (engagement && event.scenario_id && !(await hearsEngagement(tenant, event.scenario_id, type))) return;
    const optOut = type === "unsubscribed" || type === "complained";
    const rows = await tenant.db
      .select({ scenarioId: contactSequences.scenarioId })
      .from(contactSequences)
      .where(
        and(
          engagement && event.scenario_id
            ? and(
                eq(contactSequences.organizationId, tenant.orgId),
                eq(contactSequences.scenarioId, event.scenario_id),
                eq(contactSequences.contactId, contactId),
              )
            : sequencesOfContact(tenant, contactId),
          optOut
            ? or(
                eq(contactSequences.status, "active"),
                and(eq(contactSequences.status, "stopped"), eq(contactSequences.stopReason, type)),
              )
            : eq(contactSequences.status, "active"),
        ),
      )
      .all();
    await Promise.all(
      rows.map((r) => {
        const stub = env.SEQUENCE.get(env.SEQUENCE.idFromName(sequenceName(r.scenarioId, contactId)));
        return stub.onEvent({
          event_id: event.id,
          type,
          // The step only means something to the scenario that sent the message.
          step_order: r.scenarioId === event.scenario_id ? event.step_order : null,
          machine: event.machine,
          occurred_at: event.occurred_at,
        });
      }),
    );
  },
};

/**
 * Whether a scenario's sequences do anything with an open or a click of its emails: a journey
 * (a flow version, any) may wait for it, branch on it or end on it; a steps scenario only when a
 * step (in any version) is triggered by it: `opened` or `not_opened` for an open, `clicked` or
 * `not_opened` (a click counts as an open) for a click. Otherwise the object would only note the
 * time: one request and one row written for nothing (an open of a one-step newsletter).
 * Read once per EVENTS batch and scenario.
 */
function hearsEngagement(tenant: Tenant, scenarioId: string, type: "opened" | "clicked"): Promise<boolean> {
  return readOnce(tenant, `engagement:${scenarioId}`, async () => {
    const row = await tenantSql(
      tenant,
      `SELECT EXISTS (SELECT 1 FROM scenario_flows f WHERE f.scenario_id = ?2 AND f.organization_id = ?1 AND f.source = 'flow') AS flow,
         EXISTS (SELECT 1 FROM scenario_steps s WHERE s.scenario_id = ?2 AND s.organization_id = ?1 AND s."trigger" IN ('opened', 'not_opened')) AS opens,
         EXISTS (SELECT 1 FROM scenario_steps s WHERE s.scenario_id = ?2 AND s.organization_id = ?1 AND s."trigger" IN ('clicked', 'not_opened')) AS clicks`,
      scenarioId,
    ).first<{ flow: number; opens: number; clicks: number }>();
    return { flow: !!row?.flow, opened: !!row?.opens, clicked: !!row?.clicks };
  }).then((h) => h.flow || h[type]);
}

const isBehaviourEvent = (t: string): t is BehaviourEventType =>
  (BEHAVIOUR_EVENT_TYPES as readonly string[]).includes(t);

/**
 * A purchase, a form, a page visit or a custom event reaches the contact's active journeys that
 * wait for it or convert on it (scenarios.listens), and no other sequence.
 */
async function forwardBehaviour(
  env: Env,
  tenant: Tenant,
  event: NormalizedEvent & { type: BehaviourEventType },
  contactId: string,
) {
  await tellActiveSequences(
    env,
    tenant,
    contactId,
    sql`exists (select 1 from json_each(${scenarios.listens}) where value = ${event.type})`,
    {
      event_id: event.id,
      type: event.type,
      occurred_at: event.occurred_at,
      name: customName(event.properties),
      properties: event.properties,
    },
  );
}
