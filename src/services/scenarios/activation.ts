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
/**
 * Objects one enrollment scan creates per second, at most. Unpaced, a 100,000-contact journey
 * created its objects as fast as the consumers could call them: the creations crowded out the
 * SEND consumer (its first batch took 63 s instead of 0.4 s under wrangler dev) and thousands of
 * objects were live at once (bench/README.md, section 6). 200 a second is 720,000 an hour, above
 * the send rate of most provider accounts (SES starts at 14 a second).
 */
export const ACTIVATIONS_PER_SECOND = 200;

/** SEND messages ready to go past which a scan's activation waits (heldBack). */
export const SEND_BACKLOG_LIMIT = 5_000;
const MAX_HOLDS = 20;

/** Where a scan's activations stand: when it started (epoch ms), contacts planned before. */
export interface Pace {
  from: number;
  before: number;
}

/**
 * Seconds until an activation message may run: its first run's window (ACTIVATE_AHEAD_MS before
 * it) and, for a scan's `index`-th contact, its place in the scan's pace.
 */
const delayFor = (dueAt: number, at: number, pace?: Pace, index = 0) => {
  const opens = Math.max(dueAt - ACTIVATE_AHEAD_MS, pace?.from ?? at);
  const slot = pace ? opens + ((pace.before + index) * 1000) / ACTIVATIONS_PER_SECOND : opens;
  return Math.min(MAX_DELAY_S, Math.max(0, Math.ceil((slot - at) / 1000)));
};

/** A contact's enrollment as the activation plans it: its first run time. */
export interface Planned {
  contact_id: string;
  next_run_at: number | null;
}

/**
 * The activation messages of freshly enrolled rows, grouped by their first run, 100 contacts each;
 * each waits for its first run's activation window and for its place in the scan's pace.
 */
export function activationMessages(
  tenant: Tenant,
  scenarioId: string,
  rows: Planned[],
  at: number,
  pace?: Pace,
) {
  const sorted = [...rows].sort((a, b) => (a.next_run_at ?? at) - (b.next_run_at ?? at));
  const out: { body: ActivateMessage; delaySeconds?: number }[] = [];
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const chunk = sorted.slice(i, i + CHUNK);
    const due = chunk[0]?.next_run_at ?? at;
    const delay = delayFor(due, at, pace, i);
    out.push({
      body: {
        kind: "activate",
        scenario_id: scenarioId,
        organization_id: tenant.orgId,
        contact_ids: chunk.map((r) => r.contact_id),
        due_at: due,
        ...(pace ? { paced: true } : {}),
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
  if (await heldBack(env, body)) return [];
  const tenant = await tenantFor(env, body.organization_id);
  const scenario = await getScenario(tenant, body.scenario_id).catch(() => null);
  if (!scenario || (scenario.status !== "active" && scenario.status !== "paused")) return [];
  const ids = JSON.stringify(body.contact_ids);
  const [rows, facts] = await tenantBatch<Record<string, unknown>>(tenant, [
    tenantSql(
      tenant,
      `SELECT id, contact_id, steps_version, status, created_at, next_run_at, current_step_order, stop_reason, node_id, path, run_no FROM contact_sequences
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

/**
 * A scan's activation waits while the SEND queue has more than SEND_BACKLOG_LIMIT messages ready:
 * objects made faster than their sends go out only wait (and, under wrangler dev, take the single
 * thread from the SEND consumer). It waits 5 s, 10 s ... 60 s, and goes ahead after MAX_HOLDS
 * (about 15 minutes), so another sender's long backlog cannot hold a journey back for good.
 */
async function heldBack(env: Env, body: ActivateMessage): Promise<boolean> {
  const holds = body.holds ?? 0;
  if (!body.paced || holds >= MAX_HOLDS) return false;
  const backlog = await sendBacklog(env.SEND_QUEUE);
  if (backlog <= SEND_BACKLOG_LIMIT) return false;
  const delaySeconds = Math.min(60, 5 * (holds + 1));
  await env.ENROLL_QUEUE.send({ ...body, holds: holds + 1 }, { delaySeconds });
  return true;
}

/** The SEND messages ready to go; none when the queue gives no figure (then activation goes ahead). */
async function sendBacklog(queue: Queue): Promise<number> {
  try {
    return (await queue.metrics()).backlogCount;
  } catch (e) {
    console.warn("SEND backlog unknown", e instanceof Error ? e.message : e);
    return 0;
  }
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
              row: r,
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
