/**
 * The engine's ports on Cloudflare: D1 for scenario/contact facts, the cooldown and cap claims,
 * the ledger and the contact_sequences mirror; the SEND queue through createSendOperation.
 */
import { stepWinner } from "../../ab-winner/scenario";
import { now } from "../../../lib/clock";
import { measured } from "../../../lib/metering";
import type { Tenant } from "../../../lib/tenant";
import { createSendOperation, idempotencyKey } from "../../ledger/create";
import { ledgerStateOf, withdrawRow } from "../../ledger/settle";
import { claimSlot, loadAndClaim, loadEngineContext, releaseClaim } from "./cap-cooldown-claim";
import type { EndedRun, SequenceState, StepRun } from "./state";
import type { CommitRequest, EnginePorts } from "./ports";
import { tenantSql } from "../../../lib/tenant-sql";
import { runJourneyAction } from "../flow/actions";
import { contactMatches, contactValue } from "../flow/contact-facts";

/**
 * The ledger idempotency key parts of a run: org, scenario, step, contact, attempt scope. A journey's
 * later runs (re-entry) add their number: one send per (run, email node).
 */
export const ledgerKeyParts = (s: SequenceState, run: StepRun) => [
  s.organization_id,
  s.scenario_id,
  run.step_order,
  s.contact_id,
  s.journey && s.journey.no > 1
    ? `${s.sequence_id}:${s.journey.no}:${run.attempt}`
    : `${s.sequence_id}:${run.attempt}`,
];

/** Withdraw the run's pending row (-> skipped), by its id, else by its idempotency key. */
export async function settleLedgerRow(tenant: Tenant, s: SequenceState, run: StepRun, reason: string) {
  const by = run.ledger_id ? { id: run.ledger_id } : { key: await idempotencyKey(ledgerKeyParts(s, run)) };
  return withdrawRow(tenant, by, reason, now());
}

export async function commitLedger(tenant: Tenant, queue: Queue, req: CommitRequest) {
  const { state: s, run } = req;
  const op = await createSendOperation(tenant, queue, {
    keyParts: ledgerKeyParts(s, run),
    contactId: s.contact_id,
    scenarioId: s.scenario_id,
    stepOrder: run.step_order,
    templateId: req.template_id,
    variantName: run.variant,
    payload: { source: { sequence_id: s.sequence_id, step_id: req.step_id, variant_id: req.variant_id } },
  });
  if (op.status === "pending") return { ledger_id: op.ledgerId, status: op.status, reason: null, at: now() };
  const l = await ledgerStateOf(tenant, op.ledgerId);
  return { ledger_id: op.ledgerId, ...(l ?? { status: op.status, reason: null, at: now() }) };
}

/** A journey's ended run, kept in journey_runs when the next one starts (once: keyed by its number). */
export async function archiveRunRow(tenant: Tenant, s: SequenceState, run: EndedRun) {
  await tenantSql(
    tenant,
    `INSERT INTO journey_runs (organization_id, scenario_id, contact_id, run_no, status, node_id, reason, path, started_at, ended_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING`,
    s.scenario_id,
    s.contact_id,
    run.no,
    run.status,
    run.path.at(-1)?.[0] ?? null,
    run.reason,
    JSON.stringify({ p: run.path, w: [] }),
    run.started_at,
    run.ended_at,
  ).run();
}

/** The ports of a live sequence: D1 + SEND queue, with `persist` supplied by the Durable Object. */
export function d1Ports(tenant: Tenant, env: Env, persist: (s: SequenceState) => void): EnginePorts {
  const sendQueue = env.SEND_QUEUE;
  return {
    now,
    persist,
    loadContext: (s) => loadEngineContext(tenant, s.scenario_id, s.contact_id, s.email_hash),
    claim: (req) => claimSlot(tenant, req),
    loadAndClaim: (s, req) => loadAndClaim(tenant, s.scenario_id, s.contact_id, req),
    releaseClaim: (req, capTaken) => releaseClaim(tenant, req, capTaken),
    commitSend: (req) => commitLedger(tenant, sendQueue, req),
    settleLedger: (s, run, reason) => settleLedgerRow(tenant, s, run, reason),
    ledgerState: (id) => ledgerStateOf(tenant, id),
    winnerOf: (stepId) => stepWinner(tenant, stepId),
    evaluate: (s, criteria) => contactMatches(tenant, s.contact_id, criteria),
    contactValue: (s, attribute) => contactValue(tenant, s.contact_id, attribute),
    runAction: (s, nodeId, action) => runJourneyAction(env, tenant, s, nodeId, action),
    measure: (label, fn) => measured(env, label, fn),
  };
}
