import { tenantFor } from "../src/db/route";
import { z } from "zod";
import { now } from "../src/lib/clock";
import { ruleDeps } from "../src/services/rules/deps";
import { recordGaveUp, runScheduledAction } from "../src/services/rules/scheduled";
import type { RuleDeps, ScheduledAction } from "../src/services/rules/types";

/** ACTIONS: one rule action due at `due_at` (a delayed action, a webhook, an SMS). */
export const RuleActionMessage = z.object({
  organization_id: z.string().min(1),
  run_id: z.string().min(1),
  action_index: z.number().int().min(0).max(100),
  due_at: z.number().int(),
}) satisfies z.ZodType<ScheduledAction>;

/** Exponential backoff with jitter for a failed webhook or SMS: ~30 s, 1 min, 2 min ... capped at 1 hour. */
export function actionBackoffSeconds(attempts: number, retryAfter?: number): number {
  const base = Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(base * (0.8 + Math.random() * 0.4));
  return Math.max(jittered, Math.min(3600, Math.ceil(retryAfter ?? 0)));
}

/** Tests swap the deps (recording queues, an injected fetch); production builds them from env. */
export type DepsFactory = (env: Env, organizationId: string) => RuleDeps | Promise<RuleDeps>;
const defaultDeps: DepsFactory = async (env, org) => ruleDeps(env, await tenantFor(env, org));

/**
 * ACTIONS consumer. Each message is validated, then its action is claimed and run (see
 * runScheduledAction): a redelivered message finds the action claimed or final and is acked. A
 * message that arrives before it is due (a clock moved in tests, an early delivery) goes back with
 * the rest of its delay. A transient failure (webhook 5xx or timeout, SMS 429) retries with
 * backoff; after max_retries the queue moves it to the DLQ, whose consumer records the failure.
 */
export function createRuleActionsConsumer(makeDeps: DepsFactory = defaultDeps) {
  return async function consumeRuleActions(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    for (const message of batch.messages) {
      const body = RuleActionMessage.safeParse(message.body);
      if (!body.success) {
        console.error("rule-actions: invalid message body, dropped", message.id, body.error.message);
        message.ack();
        continue;
      }
      let deps: RuleDeps;
      try {
        deps = await makeDeps(env, body.data.organization_id);
      } catch (e) {
        console.error("rule-actions: could not open the organization, will retry", e);
        message.retry({ delaySeconds: actionBackoffSeconds(message.attempts) });
        continue;
      }
      try {
        const early = body.data.due_at - now();
        if (early > 1000) {
          await deps.scheduler.schedule(body.data, Math.ceil(early / 1000));
          message.ack();
          continue;
        }
        const result = await runScheduledAction(deps, body.data);
        if (result.kind === "retry")
          message.retry({ delaySeconds: actionBackoffSeconds(message.attempts, result.retryAfterSeconds) });
        else message.ack();
      } catch (e) {
        console.error(
          "rule-actions: action failed unexpectedly, will retry",
          body.data.run_id,
          body.data.action_index,
          e,
        );
        message.retry({ delaySeconds: actionBackoffSeconds(message.attempts) });
      }
    }
  };
}

/** DLQ of ACTIONS: the action's retries ran out; record it failed with its last reason, then ack. */
export function createRuleActionsDlqConsumer(makeDeps: DepsFactory = defaultDeps) {
  return async function consumeRuleActionsDlq(batch: MessageBatch<unknown>, env: Env): Promise<void> {
    for (const message of batch.messages) {
      const body = RuleActionMessage.safeParse(message.body);
      if (body.success) {
        try {
          await recordGaveUp(await makeDeps(env, body.data.organization_id), body.data);
        } catch (e) {
          console.error("rule-actions-dlq: could not record", body.data.run_id, e);
          message.retry({ delaySeconds: 60 });
          continue;
        }
      }
      message.ack();
    }
  };
}

export const consumeRuleActions = createRuleActionsConsumer();
export const consumeRuleActionsDlq = createRuleActionsDlqConsumer();
