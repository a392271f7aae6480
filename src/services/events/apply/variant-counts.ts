import type { NormalizedEvent } from "../../../contracts/events";
import { chunks } from "../../../lib/chunks";
import type { Tenant } from "../../../lib/tenant";
import { asTenantSql, tenantSql } from "../../../lib/tenant-sql";
import type { MessageRow } from "./resolve";

/** The A/B variant counters an event can move: each counts messages, not hits. */
const COUNTERS = ["opened", "clicked", "machine_opened", "replied"] as const;
export type VariantCounter = (typeof COUNTERS)[number];

/** One event's count on its message's variant, as the variant statement reads it. */
export interface VariantHit {
  event_id: string;
  scenario_id: string;
  step_order: number;
  variant_name: string;
  /** The contact, whose sequence says which version of the scenario's steps the message came from. */
  contact_id: string | null;
  counter: VariantCounter;
}

/** The first human open, the first click, the first machine open or the first reply of a variant's message. */
export function variantHitOf(
  e: NormalizedEvent,
  message: MessageRow,
  firsts: { open: boolean; click: boolean; machineOpen: boolean; reply?: boolean },
): VariantHit | null {
  const counter: VariantCounter | null = firsts.open
    ? "opened"
    : firsts.click
      ? "clicked"
      : firsts.machineOpen
        ? "machine_opened"
        : firsts.reply
          ? "replied"
          : null;
  if (!counter || !message.scenarioId || message.stepOrder === null || !message.variantName) return null;
  return {
    event_id: e.id,
    scenario_id: message.scenarioId,
    step_order: message.stepOrder,
    variant_name: message.variantName,
    contact_id: message.contactId,
    counter,
  };
}

/** Hits per statement at most (a hit is about 200 bytes of JSON). */
const HITS_PER_STATEMENT = 1_000;

/** ?2: the hits, as JSON. */
const COUNT_TEXT = asTenantSql(`WITH step_variant_hits AS MATERIALIZED (
           SELECT value ->> 'event_id' AS event_id, value ->> 'scenario_id' AS scenario_id,
             value ->> 'step_order' AS step_order, value ->> 'variant_name' AS variant_name,
             value ->> 'contact_id' AS contact_id, value ->> 'counter' AS counter
           FROM json_each(?2)),
         hits AS MATERIALIZED (
           SELECT sv.id AS id, j.counter AS counter, count(*) AS n FROM step_variant_hits AS j
           JOIN scenario_steps ss ON ss.scenario_id = j.scenario_id AND ss.step_order = j.step_order
             AND ss.version = coalesce(
               (SELECT cs.steps_version FROM contact_sequences cs
                  WHERE cs.scenario_id = j.scenario_id AND cs.contact_id = j.contact_id),
               (SELECT max(v.version) FROM scenario_steps v WHERE v.scenario_id = j.scenario_id))
           JOIN step_variants sv ON sv.organization_id = ?1 AND sv.step_id = ss.id AND sv.name = j.variant_name
           WHERE EXISTS (SELECT 1 FROM events e WHERE e.organization_id = ?1 AND e.id = j.event_id AND e.normalized IS NULL)
           GROUP BY sv.id, j.counter)
         UPDATE step_variants SET ${COUNTERS.map(
           (c) =>
             `${c} = ${c} + coalesce((SELECT sum(h.n) FROM hits h WHERE h.id = step_variants.id AND h.counter = '${c}'), 0)`,
         ).join(", ")}
         WHERE organization_id = ?1 AND id IN (SELECT id FROM hits)`);

/**
 * The variant counters of many events, one row written per variant (one per hit before): the
 * hits are counted per variant and counter, each only while its event is not applied yet (the
 * guard of every statement of an event), and each variant's row is updated once. A hit's variant
 * is the one of the step its message came from, in the version of the steps the contact's
 * sequence runs (else the latest version). The EVENTS consumer writes a write's hits in one
 * statement before the write's applied marks; a plan alone carries its own.
 */
export function variantCountStatements(tenant: Tenant, hits: VariantHit[]): D1PreparedStatement[] {
  return chunks(hits, HITS_PER_STATEMENT).map((part) => tenantSql(tenant, COUNT_TEXT, JSON.stringify(part)));
}
