/**
 * Starting runs of a journey for given contacts: POST /scenarios/:id/enroll, an event or date
 * entry, an enroll_in_scenario action. Each contact is checked as a send would be (subscribed,
 * consent, suppression, the scenario's filters), then its SequenceDO decides by the re-entry
 * policy (one active run, `once`, `after_days`, the dedup value). Every contact not started is
 * answered with its reason.
 */
import { sequenceName } from "../../../contracts/sequence";
import { now } from "../../../lib/clock";
import { normalizeEmail } from "../../../lib/validation";
import { ApiError } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { parseJson } from "../../../lib/json";
import type { Tenant } from "../../../lib/tenant";
import { tenantSql } from "../../../lib/tenant-sql";
import { getConsentSettings } from "../../consent/settings";
import { emailHash } from "../../suppressions/store";
import { DO_CONCURRENCY } from "../activation";
import { type EligibleContact, eligiblePage } from "../eligibility";
import type { ScenarioRow } from "../store";
import { entryOf } from "./entry";

export interface Skipped {
  contact_id: string;
  reason: string;
}

interface ContactFacts {
  id: string;
  email: string;
  status: string;
  consents: string | null;
}

export interface RunOptions {
  /** The run's dedup value for a contact (an event entry's dedup_key value, a date). */
  dedupOf?: (contactId: string) => string | null;
  /** "HH:MM": the run holds until then in the contact's timezone (a date entry's `at`). */
  at_time?: string | null;
}

/** At most this many contacts per POST /enroll. */
export const MAX_ENROLL = 1000;

/**
 * The contacts that may start a run now, and why each other one may not: not_found, its status
 * (unsubscribed, bounced, complained), INSUFFICIENT_CONSENT, suppressed, not_eligible (the
 * scenario's validation, deliverability or domain filters).
 */
export async function runnable(
  tenant: Tenant,
  scenario: ScenarioRow,
  ids: string[],
): Promise<{ ok: EligibleContact[]; skipped: Skipped[] }> {
  const unique = [...new Set(ids)];
  if (!unique.length) return { ok: [], skipped: [] };
  const [facts, consent] = await Promise.all([
    tenantSql(
      tenant,
      `SELECT id, email_normalized AS email, status, consents FROM contacts
       WHERE organization_id = ?1 AND id IN (SELECT value FROM json_each(?2))`,
      JSON.stringify(unique),
    ).all<ContactFacts>(),
    getConsentSettings(tenant),
  ]);
  const byId = new Map(facts.results.map((c) => [c.id, c]));
  const found = unique.filter((id) => byId.has(id));
  const page = found.length
    ? await eligiblePage(
        tenant,
        scenario,
        { afterId: null, ids: found, limit: found.length },
        { segment: null, consentRequired: consent.require_email_consent },
      )
    : { rows: [] };
  const ok = new Set(page.rows.map((r) => r.id));
  const skipped: Skipped[] = [];
  const rest: ContactFacts[] = [];
  for (const id of unique) {
    const c = byId.get(id);
    if (!c) skipped.push({ contact_id: id, reason: "not_found" });
    else if (ok.has(id)) continue;
    else if (c.status !== "subscribed") skipped.push({ contact_id: id, reason: c.status });
    else if (
      consent.require_email_consent &&
      parseJson<Record<string, string>>(c.consents, {}).email_marketing !== "granted"
    )
      skipped.push({ contact_id: id, reason: "INSUFFICIENT_CONSENT" });
    else rest.push(c);
  }
  if (rest.length) {
    const hashes = await Promise.all(rest.map((c) => emailHash(c.email)));
    const res = await tenantSql(
      tenant,
      "SELECT email_hash FROM suppressions WHERE organization_id = ?1 AND email_hash IN (SELECT value FROM json_each(?2))",
      JSON.stringify(hashes),
    ).all<{ email_hash: string }>();
    const suppressed = new Set(res.results.map((r) => r.email_hash));
    rest.forEach((c, i) => {
      const reason = suppressed.has(hashes[i] as string) ? "suppressed" : "not_eligible";
      skipped.push({ contact_id: c.id, reason });
    });
  }
  return { ok: page.rows, skipped };
}

/**
 * Start a run for each contact through its SequenceDO (a steps journey: its one enrollment). The
 * objects answer why a run did not start: active_run, already_ran, reentry_too_soon, duplicate_key.
 */
export async function startRuns(
  env: Env,
  tenant: Tenant,
  scenario: ScenarioRow,
  contactIds: string[],
  cause: string,
  opts: RunOptions = {},
): Promise<{ started: string[]; skipped: Skipped[] }> {
  const journey = entryOf(scenario) !== null;
  /** The object's answer for one contact: started, or why not. */
  const startOne = async (contact_id: string): Promise<{ started: boolean; reason?: string }> => {
    const stub = env.SEQUENCE.get(env.SEQUENCE.idFromName(sequenceName(scenario.id, contact_id)));
    const input = {
      organization_id: tenant.orgId,
      scenario_id: scenario.id,
      contact_id,
      sequence_id: newId("seq"),
      steps_version: scenario.stepsVersion,
    };
    if (journey)
      return stub.startRun({
        ...input,
        cause,
        dedup: opts.dedupOf?.(contact_id) ?? null,
        at_time: opts.at_time ?? null,
      });
    const r = await stub.enroll(input);
    return r.created
      ? { started: true }
      : { started: false, reason: r.status === "active" ? "active_run" : "already_ran" };
  };
  const started: string[] = [];
  const skipped: Skipped[] = [];
  for (let i = 0; i < contactIds.length; i += DO_CONCURRENCY) {
    const part = contactIds.slice(i, i + DO_CONCURRENCY);
    const answers = await Promise.all(
      part.map(async (contact_id): Promise<{ started: boolean; reason?: string }> => {
        try {
          return await startOne(contact_id);
        } catch (e) {
          // One object failing (an eviction, a D1 error) is this contact's answer, not the call's.
          console.error(`start run ${scenario.id}:${contact_id}`, e instanceof Error ? e.message : e);
          return { started: false, reason: "error: try again" };
        }
      }),
    );
    answers.forEach((a, j) => {
      const contact_id = part[j] as string;
      if (a.started) started.push(contact_id);
      else skipped.push({ contact_id, reason: a.reason ?? "not_started" });
    });
  }
  if (started.length)
    await tenantSql(
      tenant,
      "UPDATE scenarios SET enrolled_count = enrolled_count + ?3, updated_at = ?4 WHERE organization_id = ?1 AND id = ?2",
      scenario.id,
      started.length,
      now(),
    ).run();
  return { started, skipped };
}

/** Check, then start: the skipped contacts of both, in the order given. */
export async function enrollContacts(
  env: Env,
  tenant: Tenant,
  scenario: ScenarioRow,
  contactIds: string[],
  cause: string,
  opts: RunOptions = {},
): Promise<{ enrolled: number; skipped: Skipped[] }> {
  const check = await runnable(tenant, scenario, contactIds);
  const run = await startRuns(
    env,
    tenant,
    scenario,
    check.ok.map((c) => c.id),
    cause,
    opts,
  );
  const order = new Map(contactIds.map((id, i) => [id, i]));
  const skipped = [...check.skipped, ...run.skipped].sort(
    (a, b) => (order.get(a.contact_id) ?? 0) - (order.get(b.contact_id) ?? 0),
  );
  return { enrolled: run.started.length, skipped };
}

/**
 * POST /scenarios/:id/enroll: contacts by id or by address, into an active (or paused) scenario.
 * An address with no contact is skipped as not_found with the address.
 */
export async function enrollByApi(
  env: Env,
  tenant: Tenant,
  scenario: ScenarioRow,
  input: { contact_ids?: string[]; emails?: string[] },
): Promise<{ enrolled: number; skipped: (Skipped | { contact_id: null; email: string; reason: string })[] }> {
  if (scenario.status !== "active" && scenario.status !== "paused")
    throw new ApiError(
      "ILLEGAL_TRANSITION",
      `the scenario is ${scenario.status}: start it before enrolling`,
      [{ field: "status", message: "needs status active or paused" }],
    );
  const ids = [...(input.contact_ids ?? [])];
  const unknown: { contact_id: null; email: string; reason: string }[] = [];
  if (input.emails?.length) {
    const wanted = input.emails.map((e) => ({ email: e, normalized: normalizeEmail(e) }));
    const res = await tenantSql(
      tenant,
      "SELECT id, email_normalized AS email FROM contacts WHERE organization_id = ?1 AND email_normalized IN (SELECT value FROM json_each(?2))",
      JSON.stringify(wanted.map((w) => w.normalized)),
    ).all<{ id: string; email: string }>();
    const byEmail = new Map(res.results.map((r) => [r.email, r.id]));
    for (const w of wanted) {
      const id = byEmail.get(w.normalized);
      if (id) ids.push(id);
      else unknown.push({ contact_id: null, email: w.email, reason: "not_found" });
    }
  }
  const out = await enrollContacts(env, tenant, scenario, [...new Set(ids)], "manual");
  return { enrolled: out.enrolled, skipped: [...out.skipped, ...unknown] };
}
