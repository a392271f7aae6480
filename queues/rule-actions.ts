import { tenantFor } from "../src/db/route";
import { RuleActionMessage } from "../src/contracts/queue-messages";
import { now } from "../src/lib/clock";
import { backoffSeconds } from "../src/lib/result";
import { ruleDeps } from "../src/services/rules/deps";
import { recordGaveUp, runScheduledAction } from "../src/services/rules/scheduled";
import type { RuleDeps } from "../src/services/rules/types";

/** A failed webhook or SMS waits ~30 s, 1 min, 2 min ... up to an hour before its next attempt. */
const ACTION_BACKOFF = { baseSeconds: 30, maxSeconds: 3600 };
const actionBackoff = (attempts: number, retryAfter?: number) =>
  backoffSeconds(attempts, retryAfter, ACTION_BACKOFF);

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
        message.retry({ delaySeconds: actionBackoff(message.attempts) });
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
        if (result.action === "retry")
          message.retry({ delaySeconds: actionBackoff(message.attempts, result.retryAfterSeconds) });
        else message.ack();
      } catch (e) {
        console.error(
          "rule-actions: action failed unexpectedly, will retry",
          body.data.run_id,
          body.data.action_index,
          e,
        );
        message.retry({ delaySeconds: actionBackoff(message.attempts) });
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
