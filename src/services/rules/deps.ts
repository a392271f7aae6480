import { configOf, systemSender } from "../../config";
import { MAX_QUEUE_DELAY_SECONDS } from "../../lib/result";
import type { Tenant } from "../../lib/tenant";
import type { ActionScheduler, RuleDeps, RuleEvent, ScheduledAction } from "./types";

/** The organization's timer object: one per organization keeps its far-off actions and one alarm. */
export const ruleTimer = (env: Env, organizationId: string) =>
  env.RULE_TIMER.get(env.RULE_TIMER.idFromName(organizationId));

/**
 * Delays up to the queue's 12-hour limit go on the ACTIONS queue with delaySeconds; longer ones to
 * the organization's RuleTimerDO, whose alarm hands them to the queue when they are 12 hours away.
 * Both survive restarts.
 */
export function queueScheduler(env: Env): ActionScheduler {
  return {
    async schedule(message: ScheduledAction, delaySeconds: number) {
      if (delaySeconds <= MAX_QUEUE_DELAY_SECONDS) {
        await env.ACTIONS_QUEUE.send(message, delaySeconds > 0 ? { delaySeconds } : undefined);
        return;
      }
      const stub = ruleTimer(env, message.organization_id);
      await stub.schedule(message);
    },
  };
}

type CausedListener = (env: Env, tenant: Tenant, event: RuleEvent) => Promise<void>;
let causedListener: CausedListener | null = null;

/** Who hears the events rule actions cause, besides the rules (set once by src/wiring.ts). */
export function useCausedListener(listener: CausedListener | null): void {
  causedListener = listener;
}

/** Everything the rules engine needs, from the Worker env. Tests override parts (recording queues, fetch). */
export function ruleDeps(
  env: Env,
  tenant: Tenant,
  overrides: Partial<Omit<RuleDeps, "tenant">> = {},
): RuleDeps {
  const config = configOf(env);
  return {
    tenant,
    sendQueue: env.SEND_QUEUE,
    enrollQueue: env.ENROLL_QUEUE,
    scheduler: queueScheduler(env),
    sequences: env.SEQUENCE,
    encryptionKey: config.ENCRYPTION_KEY,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    systemFromEmail: systemSender(config),
    brevoApiBase: config.BREVO_API_BASE,
    onCaused: causedListener ? (e) => (causedListener as CausedListener)(env, tenant, e) : undefined,
    ...overrides,
  };
}
