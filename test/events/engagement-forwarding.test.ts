import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, asc, eq, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { consumeEvents } from "../../queues/events";
import type { EventMessage } from "../../src/contracts/queue-messages";
import { events, scenarioSteps } from "../../src/db/schema";
import { resetClock } from "../../src/lib/clock";
import { newId } from "../../src/lib/ids";
import { meteredEnv, readUsage, resetUsage } from "../../src/lib/metering";
import { seamed, setTestSeams } from "../../src/lib/seams";
import { ingestEmailEvent } from "../../src/services/events/ingest/api";
import { db, type EventsOrg, eventsOrg, seedContact, seedMessage, seedScenario } from "../helpers/events";

beforeEach(() => resetClock());

const NO_QUEUE = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;

/** Consume the organization's stored events as one queue batch; answers the object requests made. */
async function consumeAll(org: EventsOrg) {
  const rows = await db
    .select({ id: events.id, organizationId: events.organizationId })
    .from(events)
    .where(and(eq(events.organizationId, org.id), isNull(events.processedAt)))
    .orderBy(asc(events.id))
    .all();
  const batch = createMessageBatch<EventMessage>(
    "edge-mail-events",
    rows.map((r, i) => ({
      id: `m-${r.id}-${i}`,
      timestamp: new Date(),
      attempts: 1,
      body: { event_id: r.id, organization_id: r.organizationId },
    })),
  );
  setTestSeams({ meter: true });
  resetUsage();
  try {
    // Metered bindings count the objects' requests (METERING=on, as the bench runs the Worker).
    await consumeEvents(
      batch as MessageBatch<unknown>,
      seamed(meteredEnv({ ...env, METERING: "on" } as Env)),
    );
    return readUsage().doRequests;
  } finally {
    setTestSeams({});
  }
}

describe("opens and clicks reach a scenario's objects only when it does something with them", () => {
  it("a one-step scenario hears no open nor click; one with an opened step hears the open", async () => {
    const org = await eventsOrg();
    const contact = await seedContact(org.tenant, `eng-${org.id}@example.com`);
    const { scenarioId } = await seedScenario(org.tenant, { contactIds: [contact.id] });
    const externalId = `pm-eng-${org.id}`;
    await seedMessage(org.tenant, {
      contactId: contact.id,
      provider: "postmark",
      externalId,
      scenarioId,
      stepOrder: 1,
      variantName: "A",
    });
    const tell = (event: "opened" | "clicked", hhmm: string) =>
      ingestEmailEvent(org.tenant, NO_QUEUE, {
        provider: "postmark",
        external_id: externalId,
        contact_id: contact.id,
        event,
        occurred_at: `2026-03-01T${hhmm}:00Z`,
      });
    // The seeded scenario has one entry step: nothing waits for an open or a click.
    await tell("opened", "10:00");
    await tell("clicked", "10:01");
    expect(await consumeAll(org)).toBe(0);

    // A step triggered by an open of step 1 (a later version may add one): the open is heard.
    await db.insert(scenarioSteps).values({
      id: newId("st"),
      organizationId: org.id,
      scenarioId,
      version: 1,
      stepOrder: 2,
      name: "Follow-up",
      trigger: "opened",
      parentStepOrder: 1,
      templateId: "tpl_x",
    });
    await tell("opened", "11:00");
    await tell("clicked", "11:01");
    // The open reaches the sequence's object; the click does not (nothing is triggered by one).
    expect(await consumeAll(org)).toBe(1);

    // A stop signal reaches it whatever the steps.
    await tell("clicked", "11:02");
    await ingestEmailEvent(org.tenant, NO_QUEUE, {
      provider: "postmark",
      external_id: externalId,
      contact_id: contact.id,
      event: "unsubscribed",
      occurred_at: "2026-03-01T11:03:00Z",
    });
    expect(await consumeAll(org)).toBe(1);
  });
});
