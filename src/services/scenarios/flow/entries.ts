/**
 * Event entries: an applied event (the EVENTS consumer) or an event a rule or journey action
 * caused (tag_added, a score threshold) starts a run of each active journey whose entry it
 * matches. A redelivered event starts nothing twice: the run's dedup value is the entry's
 * dedup_key value (an order id), else the event's own id.
 */
import { customName, type NormalizedEvent } from "../../../contracts/events";
import type { EntryEvent, FlowEntry } from "../../../contracts/flow";
import type { Tenant } from "../../../lib/tenant";
import { eq, sql } from "drizzle-orm";
import { scenarios } from "../../../db/schema";
import { scoped } from "../../../lib/tenant";
import { readOnce } from "../../../lib/batch-reads";
import type { EventEffects, EventSubscriber } from "../../events/types";
import type { ScenarioRow } from "../store";
import { entryOf } from "./entry";
import { enrollContacts } from "./runs";

/** Something that may start runs: an entry event with its contact and properties. */
export interface EntryTrigger {
  /** The event's id (a caused event's derived id): a redelivery starts nothing twice. */
  id: string;
  event: EntryEvent;
  contact_id: string;
  /** A custom event's name. */
  name?: string | null;
  properties: Record<string, unknown>;
}

type EventEntry = Extract<FlowEntry, { type: "event" }>;

const same = (a: unknown, b: unknown) => a !== undefined && a !== null && String(a) === String(b);

/** Whether the entry starts a run on this trigger. */
export function entryMatches(entry: EventEntry, t: EntryTrigger): boolean {
  if (entry.event !== t.event) return false;
  if (entry.event === "custom" && entry.name && entry.name !== t.name) return false;
  if (entry.event === "tag_added" && entry.tag && !same(t.properties.tag, entry.tag)) return false;
  if (entry.event === "score_reached" && entry.threshold !== undefined) {
    const before = Number(t.properties.score_before);
    const after = Number(t.properties.score_after);
    if (!(before < entry.threshold && after >= entry.threshold)) return false;
  }
  return Object.entries(entry.properties ?? {}).every(([k, v]) => same(t.properties[k], v));
}

/** The run's dedup value: the entry's dedup_key property (one run per order), else the event. */
export function dedupOf(entry: EventEntry, t: EntryTrigger): string {
  const v = entry.dedup_key ? t.properties[entry.dedup_key] : undefined;
  return typeof v === "string" || typeof v === "number" ? `${entry.dedup_key}=${v}` : `event:${t.id}`;
}

/** The organization's active journeys entered by an event (read once per EVENTS batch). */
function eventJourneys(tenant: Tenant): Promise<ScenarioRow[]> {
  return readOnce(tenant, "journeys:event", () =>
    tenant.db
      .select()
      .from(scenarios)
      .where(
        scoped(
          tenant,
          scenarios,
          eq(scenarios.status, "active"),
          sql`${scenarios.entry} ->> '$.type' = 'event'`,
        ),
      )
      .all(),
  );
}

/** Start the runs these triggers (of one contact) call for. Answers how many started. */
export async function startJourneysOn(env: Env, tenant: Tenant, triggers: EntryTrigger[]): Promise<number> {
  if (!triggers.length) return 0;
  const journeys = await eventJourneys(tenant);
  let started = 0;
  for (const scenario of journeys) {
    const entry = entryOf(scenario);
    if (entry?.type !== "event") continue;
    for (const t of triggers) {
      if (!entryMatches(entry, t)) continue;
      const out = await enrollContacts(env, tenant, scenario, [t.contact_id], "event", {
        dedupOf: () => dedupOf(entry, t),
      });
      started += out.enrolled;
    }
  }
  return started;
}

const EMAIL_ENTRIES: Partial<Record<string, EntryEvent>> = {
  opened: "email_opened",
  clicked: "email_clicked",
  replied: "email_replied",
};

/** The entry triggers an applied event carries (none for a machine open or an event without contact). */
export function triggersOf(e: NormalizedEvent, effects: EventEffects | null): EntryTrigger[] {
  const contact_id = e.contact_id;
  if (!contact_id || e.machine) return [];
  const base = { id: e.id, contact_id, properties: e.properties };
  const out: EntryTrigger[] = [];
  switch (e.type) {
    case "purchase":
    case "form_submit":
    case "page_visit":
    case "custom":
    case "rfm_segment_changed":
      out.push({ ...base, event: e.type, name: e.type === "custom" ? customName(e.properties) : null });
      break;
    case "contact_updated":
      for (const tag of Array.isArray(e.properties.tags_added) ? e.properties.tags_added : [])
        out.push({ ...base, id: `${e.id}:tag:${tag}`, event: "tag_added", properties: { tag } });
      break;
    default: {
      const event = EMAIL_ENTRIES[e.type];
      if (event) out.push({ ...base, event });
    }
  }
  // A score that rose: engagement scoring (the effects), or a journey's update_score action.
  const score = e.type === "contact_updated" ? e.properties : null;
  const before =
    effects?.score_before ?? (typeof score?.score_before === "number" ? score.score_before : null);
  const after = effects?.score_after ?? (typeof score?.score_after === "number" ? score.score_after : null);
  if (before !== null && after !== null && after > before)
    out.push({
      id: `${e.id}:score`,
      contact_id,
      event: "score_reached",
      properties: { score_before: before, score_after: after },
    });
  return out;
}

/** The EVENTS consumer's subscriber (src/wiring.ts): applied events start journeys. */
export const journeyEntries: EventSubscriber = {
  name: "journey-entry",
  async handle(event, { env, tenant, effects }) {
    await startJourneysOn(env, tenant, triggersOf(event, effects));
  },
};

/**
 * What the rules engine evaluates besides the EVENTS consumer's events: a tag or a score an action
 * caused, a contact just created (API, import, behaviour event) (src/wiring.ts).
 */
export async function journeysOnCaused(
  env: Env,
  tenant: Tenant,
  e: { id: string; trigger: string; contact_id: string; properties: Record<string, unknown> },
): Promise<void> {
  const event: EntryEvent | null =
    e.trigger === "tag_added" || e.trigger === "contact_created"
      ? e.trigger
      : e.trigger === "lead_score_high"
        ? "score_reached"
        : null;
  if (!event) return;
  await startJourneysOn(env, tenant, [
    { id: e.id, event, contact_id: e.contact_id, properties: e.properties },
  ]);
}
