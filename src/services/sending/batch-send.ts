import { configOf } from "../../config";
import { providerFor } from "../../providers";
import type { ResolvedAccount } from "../settings/provider-accounts";
import { accountKey } from "./batch-prepare";
import type { BatchDeps, Group, Sent } from "./batch-types";
import type { Composed } from "./fairness";

/** Take slots per account (one pacer call each), then call the providers concurrently at their slots. */
export async function sendPaced(
  ready: Extract<Composed, { kind: "ok" }>[],
  byOrg: Map<string, Group>,
  accounts: Map<string, ResolvedAccount | null | string>,
  env: Env,
  deps: BatchDeps,
): Promise<Map<string, Sent[]>> {
  const config = configOf(env);
  const perAccount = new Map<string, Extract<Composed, { kind: "ok" }>[]>();
  for (const c of ready) {
    const key = accountKey((byOrg.get(c.key) as Group).tenant, c.job.provider);
    perAccount.set(key, [...(perAccount.get(key) ?? []), c]);
  }
  const sent = new Map<string, Sent[]>();
  await Promise.all(
    [...perAccount].map(async ([key, items]) => {
      const account = accounts.get(key);
      const resolved = account && typeof account !== "string" ? account : null;
      const provider = providerFor(resolved, {
        sesEndpoint: config.SES_ENDPOINT,
        brevoApiBase: config.BREVO_API_BASE,
      });
      const rate = resolved?.maxSendRate ?? Number.POSITIVE_INFINITY;
      const slots = await deps.pacer.reserve(key, rate, items.length, deps.maxPaceWaitMs);
      await Promise.all(
        items.map(async (c, i) => {
          const g = byOrg.get(c.key) as Group;
          const offset = slots.offsets[i];
          if (offset === undefined) {
            // No slot within this batch's wait: back on the queue when the account has one.
            g.retries.push({
              id: c.job.ledger.id,
              reason: "waiting for the account's send rate",
              afterSeconds: Math.max(1, Math.ceil((slots.retryAfterMs ?? 1000) / 1000)),
              backoff: false,
            });
            return;
          }
          if (offset > 0) await deps.sleep(offset);
          const result = await provider.send(c.email, { signal: AbortSignal.timeout(deps.timeoutMs) });
          const list = sent.get(c.key) ?? [];
          list.push({ job: c.job, email: c.email, provider: provider.name, result });
          sent.set(c.key, list);
        }),
      );
    }),
  );
  return sent;
}
