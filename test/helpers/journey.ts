import { env } from "cloudflare:workers";
import { json } from "./api";
import { drainEvents } from "./events";
import { createScenario, type Fixture, stateOf } from "./scenario";

export { stateOf };

/** A flow body: `nodes` and `start`, an entry (manual by default). */
export const flow = (nodes: unknown[], more: Record<string, unknown> = {}) => ({
  entry: { type: "manual" },
  start: (nodes[0] as { id: string }).id,
  nodes,
  ...more,
});

/**
 * The journey: email -> wait for a click (2 days) -> yes: tag `engaged`; no: a reminder email.
 */
export const clickJourney = (first: string, reminder: string, more: Record<string, unknown> = {}) =>
  flow(
    [
      { id: "welcome", type: "email", template_id: first, next: "clicked" },
      { id: "clicked", type: "wait_for", event: "clicked", within: { days: 2 }, yes: "tag", no: "reminder" },
      { id: "tag", type: "action", action: { type: "add_tag", config: { tag: "engaged" } } },
      { id: "reminder", type: "email", template_id: reminder },
    ],
    more,
  );

export async function putFlow(f: Fixture, scenarioId: string, body: unknown, expect = 200) {
  return json(`/api/v1/scenarios/${scenarioId}/flow`, { key: f.org.key, method: "PUT", body, expect });
}

export async function getFlow(f: Fixture, scenarioId: string) {
  return json(`/api/v1/scenarios/${scenarioId}/flow`, { key: f.org.key, expect: 200 });
}

/** Create a scenario, write its flow and start it. */
export async function startedJourney(f: Fixture, body: unknown, settings: Record<string, unknown> = {}) {
  const s = await createScenario(f, settings);
  await putFlow(f, s.id, body);
  await json(`/api/v1/scenarios/${s.id}/start`, { key: f.org.key, method: "POST", expect: 200 });
  return s.id;
}

export async function enroll(f: Fixture, scenarioId: string, body: Record<string, unknown>) {
  return json<{ enrolled: number; skipped: { contact_id: string | null; reason: string }[] }>(
    `/api/v1/scenarios/${scenarioId}/enroll`,
    { key: f.org.key, body, expect: 202 },
  );
}

/** A behaviour event through POST /api/v1/events, applied by the EVENTS consumer. */
export async function behaviour(
  f: Fixture,
  contactId: string,
  type: string,
  properties: Record<string, unknown> = {},
  occurredAt?: number,
) {
  await json("/api/v1/events", {
    key: f.org.key,
    body: {
      type,
      contact_id: contactId,
      properties,
      ...(occurredAt ? { occurred_at: new Date(occurredAt).toISOString() } : {}),
    },
    expect: 202,
  });
  await drainEvents();
}

/** The nodes the current run left, with their outcomes. */
export async function pathOf(scenarioId: string, contactId: string) {
  return ((await stateOf(scenarioId, contactId))?.journey?.path ?? []).map(([n, o]) => `${n}:${o}`);
}

export async function contactTags(contactId: string): Promise<string[]> {
  const row = await env.DB.prepare("SELECT tags FROM contacts WHERE id = ?1")
    .bind(contactId)
    .first<{ tags: string }>();
  return JSON.parse(row?.tags ?? "[]");
}

export async function runsOf(f: Fixture, scenarioId: string, query = "") {
  return json<{
    items: {
      id: string;
      contact_id: string;
      status: string;
      node_id: string | null;
      reason: string | null;
    }[];
  }>(`/api/v1/scenarios/${scenarioId}/runs${query}`, { key: f.org.key, expect: 200 });
}
