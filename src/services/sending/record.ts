import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { contacts, messages, operationLedger, stepVariants } from "../../db/schema";
import { scoped, type Tenant } from "../../lib/tenant";
import type { OutboundEmail, ProviderName } from "../../providers/types";
import type { LedgerRow, SendJob } from "./load";

/** How long a claim holds before the recovery job may consider the row stuck. */
export const CLAIM_LEASE_MS = 10 * 60_000;

/** messages.id of a ledger row's message: stable across retries, so tokens and provider tags are too. */
export const messageIdFor = (ledgerId: string) => `msg_${ledgerId.replace(/^op_/, "")}`;

/**
 * Claim the row (pending -> sending) in one conditional UPDATE. Null when it is missing, already
 * claimed by another delivery, or final: the caller acks without calling a provider.
 */
export async function claimLedger(tenant: Tenant, ledgerId: string, at: number): Promise<LedgerRow | null> {
  const [row] = await tenant.db
    .update(operationLedger)
    .set({
      status: "sending",
      attempts: sql`${operationLedger.attempts} + 1`,
      leaseUntil: at + CLAIM_LEASE_MS,
      updatedAt: at,
    })
    .where(
      scoped(
        tenant,
        operationLedger,
        eq(operationLedger.id, ledgerId),
        eq(operationLedger.status, "pending"),
      ),
    )
    .returning();
  return row ?? null;
}

/** A transient failure: give the row back (sending -> pending) so the retried message can claim it. */
export async function releaseClaim(tenant: Tenant, ledgerId: string, reason: string, at: number) {
  await tenant.db
    .update(operationLedger)
    .set({ status: "pending", reason: `retrying: ${reason}`.slice(0, 500), leaseUntil: null, updatedAt: at })
    .where(
      scoped(
        tenant,
        operationLedger,
        eq(operationLedger.id, ledgerId),
        eq(operationLedger.status, "sending"),
      ),
    );
}

const messageRow = (
  tenant: Tenant,
  job: SendJob,
  email: OutboundEmail | null,
  provider: ProviderName,
  at: number,
) => ({
  id: email?.messageId ?? messageIdFor(job.ledger.id),
  organizationId: tenant.orgId,
  contactId: job.ledger.contactId,
  scenarioId: job.ledger.scenarioId,
  stepOrder: job.ledger.stepOrder,
  variantName: job.ledger.variantName,
  ledgerId: job.ledger.id,
  provider,
  subject: email?.subject ?? null,
  fromEmail: job.from.email,
  toEmail: job.to,
  raw: email?.raw ?? null,
  createdAt: at,
  updatedAt: at,
});

/**
 * The provider accepted the message: in one D1 batch (a transaction), record the message with its
 * external id and raw MIME, mark the ledger executed, count the send on the A/B variant and stamp
 * the contact's last marketing send (the cross-scenario cooldown reads it).
 */
export async function recordSent(
  tenant: Tenant,
  job: SendJob,
  email: OutboundEmail,
  provider: ProviderName,
  externalId: string,
  at: number,
) {
  const { ledger } = job;
  const db = tenant.db;
  const writes = [
    db
      .insert(messages)
      .values({ ...messageRow(tenant, job, email, provider, at), externalId, status: "sent", sentAt: at })
      .onConflictDoNothing(),
    db
      .update(operationLedger)
      .set({ status: "executed", messageId: email.messageId, reason: null, leaseUntil: null, updatedAt: at })
      .where(
        scoped(
          tenant,
          operationLedger,
          eq(operationLedger.id, ledger.id),
          ne(operationLedger.status, "executed"),
        ),
      ),
  ] as const;
  const extra = [];
  if (ledger.scenarioId && ledger.stepOrder !== null && ledger.contactId) {
    extra.push(
      variantSentIncrement(tenant, ledger.scenarioId, ledger.stepOrder, ledger.contactId, ledger.variantName),
    );
  }
  if (!job.transactional && job.contact) {
    extra.push(
      db
        .update(contacts)
        .set({ lastSentAt: at })
        .where(scoped(tenant, contacts, eq(contacts.id, job.contact.id))),
    );
  }
  await db.batch([...writes, ...extra]);
}

/**
 * +1 sent on the variant the send used. The step is the one of the contact's steps version
 * (contact_sequences), or the latest version when the sequence row is not there. A step without a
 * named variant counts on its only variant, if it has exactly one.
 */
function variantSentIncrement(
  tenant: Tenant,
  scenarioId: string,
  stepOrder: number,
  contactId: string,
  variant: string | null,
) {
  const stepId = sql`(
    SELECT s.id FROM scenario_steps s
    WHERE s.scenario_id = ${scenarioId} AND s.step_order = ${stepOrder}
      AND s.version = COALESCE(
        (SELECT cs.steps_version FROM contact_sequences cs WHERE cs.scenario_id = ${scenarioId} AND cs.contact_id = ${contactId}),
        (SELECT max(s2.version) FROM scenario_steps s2 WHERE s2.scenario_id = ${scenarioId} AND s2.step_order = ${stepOrder}))
    LIMIT 1)`;
  const which =
    variant !== null
      ? eq(stepVariants.name, variant)
      : sql`(SELECT count(*) FROM step_variants v2 WHERE v2.step_id = step_variants.step_id) = 1`;
  return tenant.db
    .update(stepVariants)
    .set({ sent: sql`${stepVariants.sent} + 1` })
    .where(scoped(tenant, stepVariants, sql`${stepVariants.stepId} = ${stepId}`, which));
}

/**
 * A final failure (the provider refused it, or it cannot be built): the ledger row is failed with the
 * reason, and a failed messages row keeps what was attempted when the send got as far as a provider.
 */
export async function recordFailed(
  tenant: Tenant,
  job: SendJob | null,
  ledgerId: string,
  reason: string,
  at: number,
  attempted?: { email: OutboundEmail | null; provider: ProviderName },
) {
  const db = tenant.db;
  const failLedger = db
    .update(operationLedger)
    .set({ status: "failed", reason: reason.slice(0, 1000), leaseUntil: null, updatedAt: at })
    .where(
      scoped(
        tenant,
        operationLedger,
        eq(operationLedger.id, ledgerId),
        inArray(operationLedger.status, ["pending", "sending"]),
      ),
    );
  if (job && attempted) {
    const row = {
      ...messageRow(tenant, job, attempted.email, attempted.provider, at),
      status: "failed" as const,
      failureReason: reason.slice(0, 1000),
    };
    await db.batch([db.insert(messages).values(row).onConflictDoNothing(), failLedger]);
  } else {
    await failLedger;
  }
}

/** Never sent by design (suppressed, unsubscribed, erased contact): skipped with the reason. */
export async function recordSkipped(tenant: Tenant, ledgerId: string, reason: string, at: number) {
  await tenant.db
    .update(operationLedger)
    .set({ status: "skipped", reason, leaseUntil: null, updatedAt: at })
    .where(
      and(
        scoped(tenant, operationLedger, eq(operationLedger.id, ledgerId)),
        eq(operationLedger.status, "sending"),
      ),
    );
}
