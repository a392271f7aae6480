/**
 * The engine's ports on Cloudflare: D1 for scenario/contact facts, the cooldown and cap claims,
 * the ledger and the contact_sequences mirror; the SEND queue through createSendOperation.
 */
import { eq } from "drizzle-orm";
import { contacts, scenarios, suppressions } from "../../../db/schema";
import { now } from "../../../lib/clock";
import { scoped, type Tenant } from "../../../lib/tenant";
import { emailHash, isSuppressed } from "../../contacts";
import { createSendOperation, idempotencyKey } from "../../ledger";
import { settingsOf } from "../crud";
import type { SequenceState, StepRun } from "./state";
import type {
  ClaimRequest,
  ClaimResult,
  CommitRequest,
  EngineContext,
  EnginePorts,
  LedgerState,
} from "./ports";

/** The ledger idempotency key parts of a run: org, scenario, step, contact, attempt scope. */
export const ledgerKeyParts = (s: SequenceState, run: StepRun) => [
  s.organization_id,
  s.scenario_id,
  run.step_order,
  s.contact_id,
  `${s.sequence_id}:${run.attempt}`,
];

/**
 * Scenario, contact and suppression in one D1 batch: the sequence caches the suppression key of
 * the address (SHA-256), so only an address that changed costs a second query.
 */
export async function loadEngineContext(
  tenant: Tenant,
  scenarioId: string,
  contactId: string,
  cachedHash: string | null = null,
): Promise<EngineContext> {
  const { db } = tenant;
  const [scenarioRows, contactRows, suppressionRows] = await db.batch([
    db
      .select()
      .from(scenarios)
      .where(scoped(tenant, scenarios, eq(scenarios.id, scenarioId)))
      .limit(1),
    db
      .select({
        id: contacts.id,
        email: contacts.email,
        status: contacts.status,
        timezone: contacts.timezone,
        lastSentAt: contacts.lastSentAt,
      })
      .from(contacts)
      .where(scoped(tenant, contacts, eq(contacts.id, contactId)))
      .limit(1),
    db
      .select({ id: suppressions.id })
      .from(suppressions)
      .where(scoped(tenant, suppressions, eq(suppressions.emailHash, cachedHash ?? "")))
      .limit(1),
  ]);
  const scenario = scenarioRows[0];
  const contact = contactRows[0];
  if (!contact) return { settings: scenario ? settingsOf(scenario) : null, contact: null };
  const hash = await emailHash(contact.email);
  const suppressed =
    hash === cachedHash ? suppressionRows.length > 0 : await isSuppressed(tenant, contact.email);
  return {
    settings: scenario ? settingsOf(scenario) : null,
    contact: {
      id: contact.id,
      status: contact.status,
      timezone: contact.timezone,
      last_sent_at: contact.lastSentAt,
      suppressed,
      email_hash: hash,
    },
  };
}

/**
 * Cooldown and cap in one D1 batch (a transaction): stamp contacts.last_sent_at only when the
 * cooldown allows it (cooldown across scenarios), then take a cap slot only when that stamp was
 * written. Over the cap, the stamp
 * is given back so the contact's other scenarios are not held up by a send that did not happen.
 */
export async function claimSlot(tenant: Tenant, req: ClaimRequest): Promise<ClaimResult> {
  const d1 = tenant.db.$client;
  const org = tenant.orgId;
  const T = req.commit_at;
  const statements = [
    d1
      .prepare(
        `UPDATE contacts SET last_sent_at = ?1 WHERE organization_id = ?2 AND id = ?3
           AND (?4 <= 0 OR last_sent_at IS NULL OR last_sent_at <= ?1 - ?4 OR last_sent_at = ?5)
         RETURNING last_sent_at`,
      )
      .bind(T, org, req.contact_id, req.cooldown_ms, req.prev_commit_at),
  ];
  if (req.daily_cap !== null) {
    // changes() is the row count of the batch's previous write, the cooldown stamp: the cap slot
    // is taken only when the stamp was.
    statements.push(
      d1
        .prepare(
          `INSERT INTO scenario_daily_counters (scenario_id, day, count)
           SELECT ?1, ?2, 1 WHERE changes() = 1
           ON CONFLICT (scenario_id, day) DO UPDATE SET count = count + 1 WHERE count < ?3
           RETURNING count`,
        )
        .bind(req.scenario_id, req.day, req.daily_cap),
    );
  }
  statements.push(
    d1
      .prepare("SELECT last_sent_at FROM contacts WHERE organization_id = ?1 AND id = ?2")
      .bind(org, req.contact_id),
  );
  const results = await d1.batch<{ last_sent_at: number | null; count?: number }>(statements);
  const cooldown = results[0];
  const cap = req.daily_cap !== null ? results[1] : undefined;
  const current = results[results.length - 1];
  if (!cooldown?.results.length) {
    const last = current?.results[0]?.last_sent_at ?? T;
    return { ok: false, reason: "cooldown", until: last + req.cooldown_ms };
  }
  if (cap && !cap.results.length) {
    await d1
      .prepare(
        "UPDATE contacts SET last_sent_at = ?1 WHERE organization_id = ?2 AND id = ?3 AND last_sent_at = ?4",
      )
      .bind(req.prev_last_sent_at, org, req.contact_id, T)
      .run();
    return { ok: false, reason: "cap" };
  }
  return { ok: true };
}

const ledgerFields = "status, reason, updated_at AS at";

export async function ledgerStateOf(tenant: Tenant, ledgerId: string): Promise<LedgerState | null> {
  return tenant.db.$client
    .prepare(`SELECT ${ledgerFields} FROM operation_ledger WHERE organization_id = ?1 AND id = ?2`)
    .bind(tenant.orgId, ledgerId)
    .first<LedgerState>();
}

/** Withdraw a pending row (-> skipped); the SEND consumer's claim (pending -> sending) races it fairly. */
export async function settleLedgerRow(
  tenant: Tenant,
  s: SequenceState,
  run: StepRun,
  reason: string,
): Promise<LedgerState | null> {
  const d1 = tenant.db.$client;
  const [col, value] = run.ledger_id
    ? ["id", run.ledger_id]
    : ["idempotency_key", await idempotencyKey(ledgerKeyParts(s, run))];
  const where = `organization_id = ?1 AND ${col} = ?2`;
  const [updated, row] = await d1.batch<LedgerState>([
    d1
      .prepare(
        `UPDATE operation_ledger SET status = 'skipped', reason = ?3, updated_at = ?4 WHERE ${where} AND status = 'pending' RETURNING ${ledgerFields}`,
      )
      .bind(tenant.orgId, value, reason, now()),
    d1.prepare(`SELECT ${ledgerFields} FROM operation_ledger WHERE ${where}`).bind(tenant.orgId, value),
  ]);
  return updated?.results[0] ?? row?.results[0] ?? null;
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
  await tenant.db.$client
    .prepare(
      `UPDATE contact_sequences SET status = ?1, current_step_order = ?2, next_run_at = ?3, stop_reason = ?4, revision = ?5, updated_at = ?6
       WHERE organization_id = ?7 AND id = ?8 AND revision < ?5`,
    )
    .bind(
      view.status,
      view.current_step_order,
      view.next_run_at,
      view.stop_reason,
      s.rev,
      now(),
      tenant.orgId,
      s.sequence_id,
    )
    .run();
}

/** The ports of a live sequence: D1 + SEND queue, with `persist` supplied by the Durable Object. */
export function d1Ports(tenant: Tenant, sendQueue: Queue, persist: (s: SequenceState) => void): EnginePorts {
  return {
    now,
    persist,
    loadContext: (s) => loadEngineContext(tenant, s.scenario_id, s.contact_id, s.email_hash),
    claim: (req) => claimSlot(tenant, req),
    commitSend: (req) => commitLedger(tenant, sendQueue, req),
    settleLedger: (s, run, reason) => settleLedgerRow(tenant, s, run, reason),
    ledgerState: (id) => ledgerStateOf(tenant, id),
  };
}
