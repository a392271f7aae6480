import { loadJourney } from "./engine/prefetch";
import { entersBySegment, SEGMENT_ENTRY_SQL } from "./flow/entry";
import type { SweepMessage } from "../../contracts/queue-messages";
import type { EnrollMessage } from "../../contracts/queue-messages";
import { tenantFor } from "../../db/route";
import { now } from "../../lib/clock";
import { newId } from "../../lib/ids";
import type { Tenant } from "../../lib/tenant";
import { sequenceName } from "../../contracts/sequence";
import { activationMessages, DO_CONCURRENCY, type Planned } from "./activation";
import { getScenario, type ScenarioRow, settingsOf } from "./store";
import { eligiblePage, scenarioAudience } from "./eligibility";
import { rowView, startView } from "./engine/progress";
import { newSequence } from "./engine/state";
import { sendAll } from "../../lib/queue";
import { tenantBatch, tenantSql } from "../../lib/tenant-sql";

export const ENROLL_PAGE = 1000;
/**
 * A scan message goes on for up to 100 pages (100,000 contacts) or 10 s of wall time, whichever
 * comes first: each continuation waits for the queue's batch window (up to a second), which made
 * nine tenths of a 100,000-contact enrollment at 20 pages per message (bench/README.md). A page is
 * one read and one insert batch, so a message stays far within an invocation's CPU and D1 limits.
 */
const PAGES_PER_MESSAGE = 100;
const MESSAGE_BUDGET_MS = 10_000;
/** Contact ids per ENROLL message for listed contacts (new contacts). */
const ID_CHUNK = 100;

export interface PageResult {
  enrolled: number;
  next: boolean;
}

/** One ENROLL message: up to 100 pages of the scan (after_contact_id), or the listed contact_ids. */
export async function enrollPage(env: Env, body: EnrollMessage): Promise<PageResult> {
  const tenant = await tenantFor(env, body.organization_id);
  const scenario = await getScenario(tenant, body.scenario_id).catch(() => null);
  if (!scenario || (scenario.status !== "active" && scenario.status !== "paused"))
    return { enrolled: 0, next: false };
  const ids = body.contact_ids;
  // A scan message redelivered after its scan reached the end has nothing left to do.
  if (!ids && scenario.enrollmentDoneAt !== null) return { enrolled: 0, next: false };
  // A journey entered by an event, a date or POST /enroll: contacts do not enter by matching.
  if (!entersBySegment(scenario)) return { enrolled: 0, next: false };
  const version = scenario.stepsVersion;
  const journey = await loadJourney(tenant, scenario, version);
  const settings = settingsOf(scenario);
  // A segment deleted since start (it cannot be while the scenario uses it) enrolls nobody more.
  const segment = await scenarioAudience(tenant, scenario).catch(() => "gone" as const);
  if (segment === "gone") return { enrolled: 0, next: false };
  let cursor = body.after_contact_id;
  let enrolled = 0;
  let hasNext = false;
  const activations: Planned[] = [];
  // Wall time (Date.now moves across I/O in workerd), not the clock that tests set.
  const started = Date.now();
  for (let p = 0; p < (ids ? 1 : PAGES_PER_MESSAGE); p++) {
    const page = await eligiblePage(
      tenant,
      scenario,
      {
        afterId: cursor,
        ids,
        limit: ids ? ids.length : ENROLL_PAGE,
      },
      segment,
    );
    const at = now();
    // The row gets the same first run time the object will plan (same code, same instant).
    const planned = page.rows.map((c) => {
      const input = {
        organization_id: tenant.orgId,
        scenario_id: scenario.id,
        contact_id: c.id,
        sequence_id: newId("seq", at),
        steps_version: version,
      };
      return {
        id: input.sequence_id,
        contact_id: c.id,
        // A flow run starts walking at once; a steps sequence at its first step's time.
        next_run_at: journey.flow
          ? at
          : rowView(newSequence(input, journey.steps, settings, c.timezone, at)).next_run_at,
      };
    });
    hasNext = !ids && page.scanned === ENROLL_PAGE && page.lastId !== null;
    await insertSequences(tenant, scenario, planned, at, !ids && !hasNext, startView(journey.flow));
    enrolled += planned.length;
    activations.push(...planned);
    cursor = page.lastId;
    if (!hasNext || Date.now() - started > MESSAGE_BUDGET_MS) break;
  }
  const queue = env.ENROLL_QUEUE;
  const sentAt = now();
  // A scan's activations are paced; listed contacts (a signup, a few) go at once.
  const pace = { from: body.paced_from ?? sentAt, before: body.paced_before ?? 0 };
  const messages = activationMessages(tenant, scenario.id, activations, sentAt, ids ? undefined : pace);
  await sendAll(queue, messages);
  // The continuation goes last: a delivery that fails before this point is retried whole (every
  // step above is idempotent) without having spawned a second scan.
  if (hasNext) {
    const next: EnrollMessage = {
      scenario_id: scenario.id,
      organization_id: tenant.orgId,
      after_contact_id: cursor,
      paced_from: pace.from,
      paced_before: pace.before + activations.length,
    };
    await queue.send(next);
  }
  return { enrolled, next: hasNext };
}

/**
 * One D1 batch (a transaction): insert the page's rows and count the ones inserted (changes() of
 * the insert) into the progress. A journey that starts at an email gets its rows written as the
 * object's first walk leaves them (`view`: the token at that email), which spares the object a
 * mirror write per contact. At the end of the scan every eligible contact is enrolled, so
 * eligible becomes enrolled (contacts that stopped matching drop out of it). Nothing is read back:
 * the activation messages name the page's contacts, and the activation reads their rows (active
 * ones only), so a row from an earlier delivery whose object was not called yet gets it then.
 */
async function insertSequences(
  tenant: Tenant,
  scenario: ScenarioRow,
  planned: { id: string; contact_id: string; next_run_at: number | null }[],
  at: number,
  scanDone: boolean,
  view: { node_id: string | null; path: string | null },
): Promise<void> {
  if (!planned.length && !scanDone) return;
  await tenantBatch(tenant, [
    tenantSql(
      tenant,
      `INSERT INTO contact_sequences (id, organization_id, scenario_id, contact_id, steps_version, status, next_run_at, node_id, path, created_at, updated_at)
         SELECT j.value ->> 'id', ?1, ?2, j.value ->> 'contact_id', ?3, 'active', j.value ->> 'next_run_at', ?6, ?7, ?4, ?4
         FROM json_each(?5) AS j WHERE true
         ON CONFLICT (scenario_id, contact_id) DO NOTHING`,
      scenario.id,
      scenario.stepsVersion,
      at,
      JSON.stringify(planned),
      view.node_id,
      view.path,
    ),
    tenantSql(
      tenant,
      `UPDATE scenarios SET enrolled_count = enrolled_count + changes(),
           eligible_count = CASE WHEN ?3 THEN enrolled_count + changes() ELSE max(eligible_count, enrolled_count + changes()) END,
           enrollment_done_at = CASE WHEN ?3 THEN coalesce(enrollment_done_at, ?4) ELSE enrollment_done_at END,
           updated_at = ?4
         WHERE organization_id = ?1 AND id = ?2`,
      scenario.id,
      scanDone ? 1 : 0,
      at,
    ),
  ]);
}

/** Active and paused scenarios of the organization: the ones a new contact may enter. */
async function openScenarios(tenant: Tenant): Promise<string[]> {
  const res = await tenantSql(
    tenant,
    `SELECT id FROM scenarios WHERE organization_id = ?1 AND status IN ('active', 'paused') AND ${SEGMENT_ENTRY_SQL}`,
  ).all<{ id: string }>();
  return res.results.map((r) => r.id);
}

/**
 * A contact created while scenarios are active enters them when it matches: one ENROLL message
 * per (scenario, chunk of ids); the consumer applies the same filters as the start scan.
 */
export async function enrollNewContacts(env: Env, tenant: Tenant, contactIds: string[]): Promise<number> {
  if (!contactIds.length) return 0;
  const scenarioIds = await openScenarios(tenant);
  const messages: { body: EnrollMessage }[] = [];
  for (const scenario_id of scenarioIds) {
    for (let i = 0; i < contactIds.length; i += ID_CHUNK) {
      messages.push({
        body: {
          scenario_id,
          organization_id: tenant.orgId,
          after_contact_id: null,
          contact_ids: contactIds.slice(i, i + ID_CHUNK),
        },
      });
    }
  }
  const queue = env.ENROLL_QUEUE;
  await sendAll(queue, messages);
  return messages.length;
}

/**
 * The contacts a CSV import created (ids carry their creation time, so "created since" is an id
 * range), handed to enrollNewContacts. Nothing is read when no scenario is open.
 */
export async function enrollContactsCreatedSince(env: Env, tenant: Tenant, since: number): Promise<number> {
  if (!(await openScenarios(tenant)).length) return 0;
  const bound = `ct_${Math.floor(since).toString(16).padStart(12, "0")}`;
  // `+organization_id`: walk the primary key from the bound (recent contacts only).
  const res = await tenantSql(
    tenant,
    "SELECT id FROM contacts WHERE +organization_id = ?1 AND id >= ?2 AND status = 'subscribed' ORDER BY id",
    bound,
  ).all<{ id: string }>();
  return enrollNewContacts(
    env,
    tenant,
    res.results.map((r) => r.id),
  );
}

/** Start a sweep over the scenario's active sequences (resume: wake; stop: end them; a new flow: reflow). */
export async function startSweep(
  env: Env,
  tenant: Tenant,
  scenarioId: string,
  action: SweepMessage["action"],
  version?: number,
) {
  const body: SweepMessage = {
    kind: "sweep",
    action,
    version,
    scenario_id: scenarioId,
    organization_id: tenant.orgId,
    after_contact_id: null,
  };
  await env.ENROLL_QUEUE.send(body);
}

/**
 * One page of a sweep over the scenario's active sequences: tell each object, then enqueue the
 * next page. `wake` after a resume (due steps that waited continue), `stop` after a stop.
 */
export async function sweepPage(env: Env, body: SweepMessage): Promise<number> {
  const tenant = await tenantFor(env, body.organization_id);
  const res = await tenantSql(
    tenant,
    `SELECT contact_id FROM contact_sequences
     WHERE organization_id = ?1 AND scenario_id = ?2 AND status = 'active' AND contact_id > ?3
     ORDER BY contact_id LIMIT ?4`,
    body.scenario_id,
    body.after_contact_id ?? "",
    ENROLL_PAGE,
  ).all<{ contact_id: string }>();
  const rows = res.results;
  let failures = 0;
  for (let i = 0; i < rows.length; i += DO_CONCURRENCY) {
    const results = await Promise.allSettled(
      rows.slice(i, i + DO_CONCURRENCY).map((r) => {
        const stub = env.SEQUENCE.get(env.SEQUENCE.idFromName(sequenceName(body.scenario_id, r.contact_id)));
        if (body.action === "reflow") return stub.reflow(body.version ?? 0);
        return body.action === "wake" ? stub.wake() : stub.stop("scenario_stopped");
      }),
    );
    failures += results.filter((r) => r.status === "rejected").length;
  }
  // Sequences not activated yet have no object to tell: their rows are stopped here.
  if (body.action === "stop" && rows.length)
    await tenantSql(
      tenant,
      `UPDATE contact_sequences SET status = 'stopped', stop_reason = 'scenario_stopped', next_run_at = NULL, updated_at = ?4
       WHERE organization_id = ?1 AND scenario_id = ?2 AND contact_id IN (SELECT value FROM json_each(?3)) AND status = 'active'`,
      body.scenario_id,
      JSON.stringify(rows.map((r) => r.contact_id)),
      now(),
    ).run();
  // Retry the page before moving on (every call is idempotent); the next page is enqueued after.
  if (failures)
    throw new Error(`${failures} sequence(s) of ${body.scenario_id} did not take the ${body.action}`);
  const last = rows[rows.length - 1];
  if (rows.length === ENROLL_PAGE && last)
    await env.ENROLL_QUEUE.send({ ...body, after_contact_id: last.contact_id } satisfies SweepMessage);
  return rows.length;
}
