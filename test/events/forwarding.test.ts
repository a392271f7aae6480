import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SequenceEvent } from "../../src/contracts/sequence";
import { contactSequences, scenarioSteps } from "../../src/db/schema";
import type { NormalizedEvent } from "../../src/contracts/events";
import { forwardToSequences } from "../../src/services/events/consume/sequences";
import { db, eventsOrg, seedContact, seedScenario } from "../helpers/events";

/** A SEQUENCE namespace that records which object got which event. */
function fakeSequences() {
  const calls: { name: string; event: SequenceEvent }[] = [];
  const namespace = {
    idFromName: (name: string) => name,
    get: (name: string) => ({
      onEvent: async (event: SequenceEvent) => {
        calls.push({ name, event });
        return { result: "applied" };
      },
    }),
  };
  return { calls, env: { ...env, SEQUENCE: namespace } as unknown as Env };
}

describe("forwarding to SequenceDOs", () => {
  it("sends opens and clicks to the sending scenario's sequence only, stop signals to every sequence", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, "journey@example.com");
    const sender = await seedScenario(org.tenant, { contactIds: [contact.id] });
    // The sending scenario has a reminder for those who do not open step 1: it hears opens and
    // clicks (a scenario that does nothing with them does not: engagement-forwarding.test.ts).
    await db.insert(scenarioSteps).values({
      id: `st_${crypto.randomUUID()}`,
      organizationId: org.id,
      scenarioId: sender.scenarioId,
      version: 1,
      stepOrder: 2,
      name: "Reminder",
      trigger: "not_opened",
      parentStepOrder: 1,
      templateId: "tpl_x",
    });
    const other = await seedScenario(org.tenant, { contactIds: [contact.id] });
    const finished = await seedScenario(org.tenant, { contactIds: [contact.id] });
    await db
      .update(contactSequences)
      .set({ status: "stopped", stopReason: "scenario_stopped" })
      .where(eq(contactSequences.scenarioId, finished.scenarioId));
    const event = (over: Partial<NormalizedEvent>): NormalizedEvent => ({
      id: `ev_${crypto.randomUUID()}`,
      organization_id: org.id,
      type: "opened",
      contact_id: contact.id,
      message_id: "msg_1",
      scenario_id: sender.scenarioId,
      step_order: 1,
      occurred_at: 1_700_000_000_000,
      machine: false,
      properties: {},
      ...over,
    });
    const effects = { score_before: 0, score_after: 3, first_open: true, first_click: false };
    const run = async (e: NormalizedEvent) => {
      const fake = fakeSequences();
      await forwardToSequences.handle(e, { env: fake.env, tenant: org.tenant, effects });
      return fake.calls.map((c) => [c.name, c.event.type, c.event.step_order]);
    };
    const name = (scenarioId: string) => `${scenarioId}:${contact.id}`;

    expect(await run(event({ type: "opened" }))).toEqual([[name(sender.scenarioId), "opened", 1]]);
    expect(await run(event({ type: "clicked" }))).toEqual([[name(sender.scenarioId), "clicked", 1]]);
    expect(await run(event({ type: "opened", machine: true }))).toEqual([]);
    expect(await run(event({ type: "bounced", bounce_type: "Transient" }))).toEqual([]);
    expect(await run(event({ type: "delivered" }))).toEqual([]);
    expect((await run(event({ type: "bounced", bounce_type: "Permanent" }))).sort()).toEqual(
      [
        [name(sender.scenarioId), "bounced", 1],
        [name(other.scenarioId), "bounced", null],
      ].sort(),
    );

    // An unsubscribe stops the sequences at once; their objects still hear it, to cancel their timers.
    await db
      .update(contactSequences)
      .set({ status: "stopped", stopReason: "unsubscribed" })
      .where(eq(contactSequences.scenarioId, sender.scenarioId));
    const unsubscribed = await run(
      event({ type: "unsubscribed", message_id: null, scenario_id: null, step_order: null }),
    );
    expect(unsubscribed.sort()).toEqual(
      [
        [name(sender.scenarioId), "unsubscribed", null],
        [name(other.scenarioId), "unsubscribed", null],
      ].sort(),
    );
  });
});
