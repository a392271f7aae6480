import type { SendOutcome } from "../../../durable-objects/sequence-api";
import { configOf } from "../../config";
import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import { providerFor } from "../../providers";
import type { OutboundEmail } from "../../providers/types";
import { type ResolvedAccount, resolveProviderAccount } from "../provider-accounts";
import { composeEmail } from "./compose";
import { ComposeError } from "./errors";
import { type LedgerRow, loadSendJob, type SendJob } from "./load";
import { isScenarioSend, type NotifySequence } from "./notify";
import type { SendPacer } from "./pacing";
import { messageIdFor, recordFailed, recordSent, recordSkipped } from "./record";

export interface ExecuteDeps {
  pacer: SendPacer;
  /** Per provider call; a call that takes longer is aborted and retried. */
  timeoutMs: number;
  notify: NotifySequence;
}

/** What the queue layer does with the message once the claimed row has been worked on. */
export type Disposition = { action: "ack" } | { action: "retry"; reason: string; retryAfterSeconds?: number };

const ACK: Disposition = { action: "ack" };

/**
 * Work one claimed ledger row to the end: resolve it, check suppression, build the message, wait
 * for the account's send slot, call the provider once, record the outcome. Returns "retry" only for
 * a transient provider failure, before anything is recorded; it never throws after the provider
 * accepted the message (a throw there would release the claim and send twice).
 */
export async function executeClaimed(
  env: Env,
  tenant: Tenant,
  ledger: LedgerRow,
  deps: ExecuteDeps,
): Promise<Disposition> {
  const final = async (outcome: Omit<SendOutcome, "ledger_id" | "step_order" | "at">) => {
    if (isScenarioSend(ledger))
      await deps.notify(env, ledger, {
        ledger_id: ledger.id,
        step_order: ledger.stepOrder ?? 0,
        at: now(),
        ...outcome,
      });
    return ACK;
  };

  const config = configOf(env);
  const loaded = await loadSendJob(tenant, ledger, {
    fromEmail: `noreply@${new URL(config.PUBLIC_BASE_URL).hostname}`,
  });
  if (!loaded.ok) {
    if (loaded.status === "skipped") await recordSkipped(tenant, ledger.id, loaded.reason, now());
    else await recordFailed(tenant, null, ledger.id, loaded.reason, now());
    return final({ status: loaded.status, reason: loaded.reason });
  }
  const job = loaded.job;

  let account: ResolvedAccount | null = null;
  if (job.provider !== "log") {
    let reason: string | null = null;
    try {
      account = await resolveProviderAccount(tenant, config.ENCRYPTION_KEY, job.provider);
      if (!account) reason = `provider ${job.provider} is not configured for this organization`;
    } catch {
      reason = `provider ${job.provider} credentials cannot be decrypted (was ENCRYPTION_KEY changed?)`;
    }
    if (reason) return fail(tenant, job, reason, null, final);
  }

  let email: OutboundEmail;
  try {
    email = await composeEmail({
      messageId: messageIdFor(ledger.id),
      organizationId: tenant.orgId,
      idempotencyKey: ledger.idempotencyKey,
      contactId: job.contact?.id ?? null,
      from: job.from,
      to: job.to,
      replyTo: job.replyTo,
      content: job.content,
      context: job.context,
      transactional: job.transactional,
      includeUnsubscribe: job.includeUnsubscribe,
      baseUrl: config.PUBLIC_BASE_URL,
      signingKey: config.ENCRYPTION_KEY,
      date: now(),
    });
  } catch (e) {
    if (e instanceof ComposeError) return fail(tenant, job, e.message, null, final);
    throw e;
  }

  const provider = providerFor(account, {
    sesEndpoint: config.SES_ENDPOINT,
    brevoApiBase: config.BREVO_API_BASE,
  });
  await deps.pacer.acquire(
    `${tenant.orgId}:${provider.name}`,
    account?.maxSendRate ?? Number.POSITIVE_INFINITY,
  );
  const result = await provider.send(email, { signal: AbortSignal.timeout(deps.timeoutMs) });

  if (result.ok) {
    await recordWithRetries(
      () => recordSent(tenant, job, email, provider.name, result.externalId, now()),
      ledger.id,
      result.externalId,
    );
    return final({ status: "executed", message_id: email.messageId });
  }
  if (result.kind === "retryable")
    return { action: "retry", reason: result.reason, retryAfterSeconds: result.retryAfterSeconds };
  return fail(tenant, job, result.reason, { email, provider: provider.name }, final);
}

async function fail(
  tenant: Tenant,
  job: SendJob,
  reason: string,
  attempted: { email: OutboundEmail; provider: SendJob["provider"] } | null,
  final: (o: Omit<SendOutcome, "ledger_id" | "step_order" | "at">) => Promise<Disposition>,
) {
  await recordFailed(tenant, job, job.ledger.id, reason, now(), {
    email: attempted?.email ?? null,
    provider: attempted?.provider ?? job.provider,
  });
  return final({ status: "failed", reason });
}

/**
 * The provider has the message: recording must not give the claim back. Retry the D1 batch a few
 * times; if D1 stays down the row stays "sending" under its lease, and the log names the external id.
 */
async function recordWithRetries(write: () => Promise<void>, ledgerId: string, externalId: string) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await write();
      return;
    } catch (e) {
      if (attempt === 3) {
        console.error(
          `sent ${ledgerId} as ${externalId} but could not record it`,
          e instanceof Error ? e.message : e,
        );
      }
    }
  }
}
