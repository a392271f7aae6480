import { tenantFor } from "../db/route";
import { now } from "../lib/clock";
import { pauseSendersOf } from "../services/domains/lost";
import { dueDomains, getDomainRow, recheckDomain } from "../services/domains/store";

/**
 * Every 5 minutes: the sending domains due a check (every 6 hours while pending, daily once
 * verified) are checked again; one that lost its verification pauses what sends from it.
 */
export async function runDomainChecks(env: Env, at = now()): Promise<number> {
  const due = await dueDomains(env, at);
  let checked = 0;
  for (const d of due) {
    try {
      const tenant = await tenantFor(env, d.organization_id);
      const { row, lost } = await recheckDomain(env, tenant, await getDomainRow(tenant, d.id));
      if (lost) await pauseSendersOf(env, tenant, row.domain);
      checked++;
    } catch (e) {
      console.error(`domain check ${d.id} failed`, e instanceof Error ? e.message : e);
    }
  }
  return checked;
}

export async function domainChecksJob(_controller: ScheduledController, env: Env): Promise<void> {
  const n = await runDomainChecks(env);
  if (n) console.log(`sending domains: ${n} checked`);
}
