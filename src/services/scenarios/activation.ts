import type { ActivateMessage } from "../../contracts/queue-messages";
import { sequenceName } from "../../contracts/sequence";
import { tenantFor } from "../../db/route";
import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import { getScenario, type ScenarioRow, settingsOf } from "./store";
import { loadJourney } from "./engine/prefetch";
import { emailHash } from "../suppressions/store";
import type { SequenceRow } from "./types";
import { tenantBatch, tenantSql } from "../../lib/tenant-sql";

/** A sequence gets its object once its first step is this close. */
export const ACTIVATE_AHEAD_MS = 12 * 3_600_000;
/** The queue's longest delay. */
const MAX_DELAY_S = 43_200;
/** DO calls in flight at once. */
export const DO_CONCURRENCY = 20;
/** Contacts per activation message: each costs a Durable Object call (subrequest limits). */
const CHUNK = 100;

const delayFor = (dueAt: number, at: number) =>
  Math.min(MAX_DELAY_S, Math.max(0, Math.ceil((dueAt - at - ACTIVATE_AHEAD_MS) / 1000)));

/** A contact's enrollment as the activation plans it: its first run time. */
export interface Planned {
  contact_id: string;
  next_run_at: number | null;
}

/** The activation messages of freshly enrolled rows, grouped by their first run, 100 contacts each. */
export function activationMessages(tenant: Tenant, scenarioId: string, rows: Planned[], at: number) {
  const sorted = [...rows].sort((a, b) => (a.next_run_at ?? at) - (b.next_run_at ?? at));
  const out: { body: ActivateMessage; delaySeconds?: number }[] = [];
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const chunk = sorted.slice(i, i + CHUNK);
    const due = chunk[0]?.next_run_at ?? at;
    const delay = delayFor(due, at);
    out.push({
      body: {
        kind: "activate",
        scenario_id: scenarioId,
        organization_id: tenant.orgId,
        contact_ids: chunk.map((r) => r.contact_id),
        due_at: due,
      },
      ...(delay > 0 ? { delaySeconds: delay } : {}),
    });
  }
  return out;
}

/**
 * One activation message: too early, it waits again; else the active rows among its contacts get
 * their SequenceDO (enroll() is idempotent). Answers the contacts whose object call failed.
 */
export async function activatePage(env: Env, body: ActivateMessage): Promise<string[]> {
  const at = now();
  if (body.due_at - at > ACTIVATE_AHEAD_MS) {
    await env.ENROLL_QUEUE.send(body, { delaySeconds: delayFor(body.due_at, at) || 1 });
    return [];
  }
  const tenant = await tenantFor(env, body.organization_id);
  const scenario = await getScenario(tenant, body.scenario_id).catch(() => null);
  if (!scenario || (scenario.status !== "active" && scenario.status !== "paused")) return [];
  const ids = JSON.stringify(body.contact_ids);
  const [rows, facts] = await tenantBatch<Record<string, unknown>>(tenant, [
    tenantSql(
      tenant,
      `SELECT id, contact_id, steps_version, status, created_at, next_run_at FROM contact_sequences
         WHERE organization_id = ?1 AND scenario_id = ?2 AND contact_id IN (SELECT value FROM json_each(?3)) AND status = 'active'`,
      scenario.id,
      ids,
    ),
    tenantSql(
      tenant, // `+organization_id`: look the ids up on the primary key, not the organization's email index.
      "SELECT id, email_normalized AS email, timezone FROM contacts WHERE +organization_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
      ids,
    ),
  ]);
  const sequences = (rows?.results ?? []) as unknown as SequenceRow[];
  const contacts = new Map<string, { timezone: string | null; email_hash: string }>();
  for (const c of (facts?.results ?? []) as { id: string; email: string; timezone: string | null }[])
    contacts.set(c.id, { timezone: c.timezone, email_hash: await emailHash(c.email) });
  const steps = new Map<number, Awaited<ReturnType<typeof loadJourney>>>();
  for (const v of new Set(sequences.map((r) => r.steps_version)))
    steps.set(v, await loadJourney(tenant, scenario, v));
  return enrollInObjects(env, tenant, scenario, sequences, steps, contacts);
}

/** Call SequenceDO.enroll() for each row, a few at a time; answers the contacts that failed. */
async function enrollInObjects(
  env: Env,
  tenant: Tenant,
  scenario: ScenarioRow,
  rows: SequenceRow[],
  steps: Map<number, Awaited<ReturnType<typeof loadJourney>>>,
  facts: Map<string, { timezone: string | null; email_hash: string }>,
): Promise<string[]> {
  const failed: string[] = [];
  const settings = settingsOf(scenario);
  for (let i = 0; i < rows.length; i += DO_CONCURRENCY) {
    await Promise.all(
      rows.slice(i, i + DO_CONCURRENCY).map(async (r) => {
        try {
          const stub = env.SEQUENCE.get(env.SEQUENCE.idFromName(sequenceName(scenario.id, r.contact_id)));
          await stub.enroll(
            {
              organization_id: tenant.orgId,
              scenario_id: scenario.id,
              contact_id: r.contact_id,
              sequence_id: r.id,
              steps_version: r.steps_version,
            },
            {
              ...(steps.get(r.steps_version) ?? { steps: [] }),
              settings,
              contact_timezone: facts.get(r.contact_id)?.timezone ?? null,
              email_hash: facts.get(r.contact_id)?.email_hash ?? null,
              enrolled_at: r.created_at,
            },
          );
        } catch (e) {
          console.error(`enroll ${scenario.id}:${r.contact_id} failed`, e instanceof Error ? e.message : e);
          failed.push(r.contact_id);
        }
      }),
    );
  }
  return failed;
}
