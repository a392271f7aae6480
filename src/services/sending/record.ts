import type { Tenant } from "../../lib/tenant";
import type { OutboundEmail, ProviderName } from "../../providers/types";
import { CAMPAIGN_PAUSED } from "../campaigns/constants";
import { sentStatement } from "../deliverability/health";
import { finishedStatement } from "../campaigns/resolve";
import type { SendJob } from "./load";
import { CLAIM_LEASE_MS, messageIdFor } from "../ledger/types";
import { type Settlement, settleStatement } from "../ledger/settle";
import { asTenantSql, tenantBatch, tenantSql } from "../../lib/tenant-sql";

/** The final state of one claimed row, as the batch recorder writes it. */
export type Outcome =
  | {
      kind: "sent";
      job: SendJob;
      email: OutboundEmail;
      provider: ProviderName;
      externalId: string;
      rawRef: string | null;
    }
  | {
      kind: "failed";
      ledgerId: string;
      reason: string;
      /** What was attempted, when the send got as far as a message: a failed messages row keeps it. */
      attempted: {
        job: SendJob;
        email: OutboundEmail | null;
        provider: ProviderName;
        rawRef: string | null;
      } | null;
    }
  | { kind: "skipped"; ledgerId: string; reason: string };

function messageRow(
  tenant: Tenant,
  job: SendJob,
  email: OutboundEmail | null,
  provider: ProviderName,
  rawRef: string | null,
  at: number,
) {
  return {
    id: email?.messageId ?? messageIdFor(job.ledger.id),
    organization_id: tenant.orgId,
    contact_id: job.ledger.contactId,
    scenario_id: job.ledger.scenarioId,
    campaign_id: job.ledger.campaignId,
    step_order: job.ledger.stepOrder,
    variant_name: job.ledger.variantName,
    ledger_id: job.ledger.id,
    provider,
    subject: email?.subject ?? null,
    from_email: job.from.email,
    to_email: job.to,
    // Kept in D1 only when the R2 archive did not take it.
    raw: rawRef ? null : (email?.raw ?? null),
    raw_ref: rawRef,
    created_at: at,
  };
}

const MESSAGE_COLUMNS = [
  "id",
  "organization_id",
  "contact_id",
  "scenario_id",
  "campaign_id",
  "step_order",
  "variant_name",
  "ledger_id",
  "provider",
  "external_id",
  "subject",
  "from_email",
  "to_email",
  "status",
  "raw",
  "raw_ref",
  "sent_at",
  "failure_reason",
  "created_at",
] as const;

/**
 * Record a batch's outcomes in one D1 batch (a transaction), whatever its size:
 * - the messages rows (sent with their external id; failed with what was attempted), one INSERT;
 * - the ledger rows executed / failed / skipped with their reasons, one UPDATE;
 * - the sends counted on their A/B variants, one UPDATE per variant, not per email;
 * - the contacts' last marketing send (the cross-scenario cooldown reads it), unless the scenario
 *   engine's claim stamped it moments ago.
 */
export async function recordOutcomes(
  tenant: Tenant,
  outcomes: Outcome[],
  at: number,
  campaignOf: (ledgerId: string) => string | null = () => null,
) {
  if (!outcomes.length) return;
  // Campaign sends finished in this batch (a pause's withdrawal is not a finish: it is sent later).
  const finished = new Map<string, number>();
  for (const o of outcomes) {
    const id = o.kind === "sent" ? o.job.ledger.id : o.ledgerId;
    const campaign = o.kind === "sent" ? o.job.ledger.campaignId : campaignOf(id);
    if (!campaign || (o.kind === "skipped" && o.reason === CAMPAIGN_PAUSED)) continue;
    finished.set(campaign, (finished.get(campaign) ?? 0) + 1);
  }
  const rows: Record<string, unknown>[] = [];
  const ledger: Settlement[] = [];
  const variants = new Map<string, number>();
  const fallbackVariants: SendJob[] = [];
  const stamped: string[] = [];
  const scopes = new Map<string, number>();
  for (const o of outcomes) {
    if (o.kind === "sent") {
      const { job, email } = o;
      const scope = job.ledger.campaignId ?? job.ledger.scenarioId;
      if (scope) scopes.set(scope, (scopes.get(scope) ?? 0) + 1);
      rows.push({
        ...messageRow(tenant, job, email, o.provider, o.rawRef, at),
        external_id: o.externalId,
        status: "sent",
        sent_at: at,
        failure_reason: null,
      });
      ledger.push({ id: job.ledger.id, status: "executed", reason: null, message_id: email.messageId });
      if (job.ledger.scenarioId && job.ledger.stepOrder !== null && job.ledger.contactId) {
        const variantId = job.payload.source?.variant_id;
        if (variantId) variants.set(variantId, (variants.get(variantId) ?? 0) + 1);
        else fallbackVariants.push(job);
      }
      if (!job.transactional && job.contact) stamped.push(job.contact.id);
    } else if (o.kind === "failed") {
      const reason = o.reason.slice(0, 1000);
      if (o.attempted) {
        const { job, email, provider, rawRef } = o.attempted;
        rows.push({
          ...messageRow(tenant, job, email, provider, rawRef, at),
          external_id: null,
          status: "failed",
          sent_at: null,
          failure_reason: reason,
        });
      }
      ledger.push({ id: o.ledgerId, status: "failed", reason, message_id: null });
    } else {
      ledger.push({ id: o.ledgerId, status: "skipped", reason: o.reason.slice(0, 1000), message_id: null });
    }
  }
  const statements: D1PreparedStatement[] = [];
  if (rows.length) {
    const cols = MESSAGE_COLUMNS.join(", ");
    const values = MESSAGE_COLUMNS.map((c) => (c === "organization_id" ? "?1" : `j.value ->> '${c}'`)).join(
      ", ",
    );
    statements.push(
      tenantSql(
        tenant,
        asTenantSql(
          `INSERT INTO messages (${cols}, updated_at) SELECT ${values}, j.value ->> 'created_at'
           FROM json_each(?2) AS j WHERE true ON CONFLICT DO NOTHING`,
        ),
        JSON.stringify(rows),
      ),
    );
  }
  statements.push(settleStatement(tenant, ledger, at));
  if (variants.size) {
    statements.push(
      tenantSql(
        tenant,
        `UPDATE step_variants SET sent = sent + (j.value ->> 'n') FROM json_each(?2) AS j
           WHERE step_variants.organization_id = ?1 AND step_variants.id = (j.value ->> 'id')`,
        JSON.stringify([...variants].map(([id, n]) => ({ id, n }))),
      ),
    );
  }
  if (stamped.length) {
    // The scenario engine stamps last_sent_at when it claims the slot, just before the send: a
    // second write would only move it by the send's delay.
    statements.push(
      tenantSql(
        tenant,
        `UPDATE contacts SET last_sent_at = ?2 WHERE +organization_id = ?1
             AND id IN (SELECT value FROM json_each(?3))
             AND (last_sent_at IS NULL OR last_sent_at < ?4)`,
        at,
        JSON.stringify(stamped),
        at - CLAIM_LEASE_MS,
      ),
    );
  }
  // The deliverability guard's window: one row per (scenario or campaign, day) per batch.
  if (scopes.size) statements.push(sentStatement(tenant, scopes, at));
  for (const job of fallbackVariants) statements.push(variantSentIncrement(tenant, job));
  for (const [campaign, n] of finished) statements.push(finishedStatement(tenant, campaign, n, at));
  await tenantBatch(tenant, statements);
}

/**
 * +1 sent on the variant a send used, for rows whose payload does not name the variant's id: the
 * step is the one of the contact's steps version (contact_sequences), or the latest version when
 * the sequence row is not there. A step without a named variant counts on its only variant.
 */
function variantSentIncrement(tenant: Tenant, job: SendJob) {
  const { scenarioId, stepOrder, contactId, variantName } = job.ledger;
  return tenantSql(
    tenant,
    `UPDATE step_variants SET sent = sent + 1
       WHERE organization_id = ?1 AND step_id = (
         SELECT s.id FROM scenario_steps s
         WHERE s.scenario_id = ?2 AND s.step_order = ?3
           AND s.version = coalesce(
             (SELECT cs.steps_version FROM contact_sequences cs WHERE cs.scenario_id = ?2 AND cs.contact_id = ?4),
             (SELECT max(s2.version) FROM scenario_steps s2 WHERE s2.scenario_id = ?2 AND s2.step_order = ?3))
         LIMIT 1)
       AND CASE WHEN ?5 IS NOT NULL THEN name = ?5
         ELSE (SELECT count(*) FROM step_variants v2 WHERE v2.step_id = step_variants.step_id) = 1 END`,
    scenarioId,
    stepOrder,
    contactId,
    variantName,
  );
}
