import { configOf } from "../../config";
import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import type { OutboundEmail, ProviderName } from "../../providers/types";
import { type ResolvedAccount, resolveProviderAccount } from "../settings/provider-accounts";
import { composeEmail } from "./compose";
import { ComposeError } from "./errors";
import type { SendJob } from "./load";
import { messageIdFor } from "../ledger/types";

export const accountKey = (tenant: Tenant, provider: ProviderName) => `${tenant.orgId}:${provider}`;

/** Each (organization, provider) account once per batch: its credentials, or why it cannot send. */
export async function resolveAccounts(env: Env, groups: { tenant: Tenant; jobs: SendJob[] }[]) {
  const { ENCRYPTION_KEY } = configOf(env);
  const accounts = new Map<string, ResolvedAccount | null | string>();
  for (const g of groups) {
    for (const job of g.jobs) {
      const key = accountKey(g.tenant, job.provider);
      if (accounts.has(key)) continue;
      if (job.provider === "log") {
        accounts.set(key, null);
        continue;
      }
      try {
        const account = await resolveProviderAccount(g.tenant, ENCRYPTION_KEY, job.provider);
        accounts.set(key, account ?? `provider ${job.provider} is not configured for this organization`);
      } catch {
        accounts.set(
          key,
          `provider ${job.provider} credentials cannot be decrypted (was ENCRYPTION_KEY changed?)`,
        );
      }
    }
  }
  return accounts;
}

export function compose(env: Env, orgId: string, job: SendJob): Promise<OutboundEmail> {
  const config = configOf(env);
  return composeEmail({
    messageId: messageIdFor(job.ledger.id),
    organizationId: orgId,
    idempotencyKey: job.ledger.idempotencyKey,
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
    utm: job.utm,
    trackOpens: job.trackOpens,
    trackClicks: job.trackClicks,
    tags: job.payload.tags,
  }).catch((e) => {
    if (e instanceof ComposeError) throw e;
    throw new ComposeError(`message could not be built: ${e instanceof Error ? e.message : String(e)}`);
  });
}
