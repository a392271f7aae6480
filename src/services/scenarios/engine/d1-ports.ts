/**
 * The engine's ports on Cloudflare: D1 for scenario/contact facts, the cooldown and cap claims,
 * the ledger and the contact_sequences mirror; the SEND queue through createSendOperation.
 */
import { stepWinner } from "../../ab-winner/scenario";
import { now } from "../../../lib/clock";
import type { Tenant } from "../../../lib/tenant";
import { createSendOperation, idempotencyKey } from "../../ledger/create";
import { ledgerStateOf, withdrawRow } from "../../ledger/settle";
import { claimSlot, loadAndClaim, loadEngineContext, releaseClaim } from "./cap-cooldown-claim";
import type { SequenceState, StepRun } from "./state";
import type { CommitRequest, EnginePorts } from "./ports";
import { tenantSql } from "../../../lib/tenant-sql";

/** The ledger idempotency key parts of a run: org, scenario, step, contact, attempt scope. */
export const ledgerKeyParts = (s: SequenceState, run: StepRun) => [
  s.organization_id,
  s.scenario_id,
  run.step_order,
  s.contact_id,
  `${s.sequence_id}:${run.attempt}`,
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

/** Mirror the sequence into contact_sequences; an older revision never overwrites a newer one. */
export async function syncSequenceRow(
  tenant: Tenant,
  s: SequenceState,
  view: {
    status: string;
    current_step_order: number | null;
    next_run_at: number | null;
    stop_reason: string | null;
  },
) {
  await tenantSql(
    tenant,
    `UPDATE contact_sequences SET status = ?2, current_step_order = ?3, next_run_at = ?4, stop_reason = ?5, revision = ?6, updated_at = ?7
     WHERE scenario_id = ?8 AND contact_id = ?9 AND organization_id = ?1 AND id = ?10 AND revision < ?6`,
    view.status,
    view.current_step_order,
    view.next_run_at,
    view.stop_reason,
    s.rev,
    now(),
    s.scenario_id,
    s.contact_id,
    s.sequence_id,
  ).run();
}

/** The ports of a live sequence: D1 + SEND queue, with `persist` supplied by the Durable Object. */
export function d1Ports(tenant: Tenant, sendQueue: Queue, persist: (s: SequenceState) => void): EnginePorts {
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
  };
}
