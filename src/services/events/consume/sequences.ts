import { sequencesOfContact } from "../../scenarios/sequence-keys";
import { and, eq, or } from "drizzle-orm";
import { isSequenceEventType, sequenceName } from "../../../contracts/sequence";
import { contactSequences } from "../../../db/schema";
import type { EventSubscriber } from "../types";

/**
 * Forward opened / clicked / bounced / complained / unsubscribed / replied to the contact's
 * SequenceDOs. Opens and clicks concern the scenario that sent the message, so only its sequence
 * hears them (with the step); a stop signal reaches every sequence of the contact, including the
 * ones the opt-out itself just stopped, so their DOs cancel their timers. Machine opens and clicks
 * are not forwarded: they must never trigger opened-steps.
 */
export const forwardToSequences: EventSubscriber = {
  name: "sequence-do",
  async handle(event, { env, tenant }) {
    const type = event.type;
    const contactId = event.contact_id;
    if (!contactId || event.machine || !isSequenceEventType(type)) return;
    if (event.type === "bounced" && event.bounce_type === "Transient") return;
    const engagement = type === "opened" || type === "clicked";
    if (engagement && !event.scenario_id) return;
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
