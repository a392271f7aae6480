import { createDb } from "../src/db/client";
import { now } from "../src/lib/clock";
import { tenantScope } from "../src/lib/tenant";
import { executeClaimed } from "../src/services/sending/execute";
import { type NotifySequence, notifySequence } from "../src/services/sending/notify";
import { type BackoffOptions, backoffSeconds, SendPacer, type Sleep } from "../src/services/sending/pacing";
import { claimLedger, releaseClaim } from "../src/services/sending/record";
import { SendMessage } from "./messages";

export interface SendConsumerOptions {
  /** Provider call timeout (default 15 s). */
  timeoutMs?: number;
  /** How the pacer waits for a send slot (tests pass a recorder instead of a timer). */
  sleep?: Sleep;
  backoff?: BackoffOptions;
  notify?: NotifySequence;
}

/**
 * SEND queue consumer. Per message: validate the body, claim the ledger row (pending -> sending, one
 * conditional UPDATE), and only then call the provider. A message whose row is missing, already
 * claimed or final is acked with no provider call (redelivery, duplicate enqueue). Transient failures
 * give the row back to pending and `retry({ delaySeconds })` with exponential backoff and jitter;
 * permanent ones are recorded and acked. After max_retries the queue moves the message to the DLQ,
 * whose consumer (send-dlq.ts) records the failure.
 */
export function createSendConsumer(options: SendConsumerOptions = {}) {
  const deps = {
    pacer: new SendPacer(options.sleep),
    timeoutMs: options.timeoutMs ?? 15_000,
    notify: options.notify ?? notifySequence,
  };
  const delay = (attempts: number, retryAfter?: number) => ({
    delaySeconds: backoffSeconds(attempts, retryAfter, options.backoff),
  });

  async function handle(message: Message<unknown>, env: Env) {
    const body = SendMessage.safeParse(message.body);
    if (!body.success) {
      // No ledger id to record against: say so loudly rather than retrying a body that cannot parse.
      console.error(`SEND: invalid message ${message.id} acked: ${body.error.message}`);
      message.ack();
      return;
    }
    const tenant = tenantScope(createDb(env.DB), body.data.organization_id);
    let claimedId: string | null = null;
    try {
      const claimed = await claimLedger(tenant, body.data.ledger_id, now());
      if (!claimed) {
        message.ack();
        return;
      }
      claimedId = claimed.id;
      const disposition = await executeClaimed(env, tenant, claimed, deps);
      if (disposition.action === "ack") {
        message.ack();
        return;
      }
      await releaseClaim(tenant, claimed.id, disposition.reason, now());
      message.retry(delay(message.attempts, disposition.retryAfterSeconds));
    } catch (e) {
      // D1 hiccup or a bug before the provider call: give the row back and try again later.
      console.error(
        `SEND: ledger ${body.data.ledger_id} failed unexpectedly`,
        e instanceof Error ? e.message : e,
      );
      if (claimedId) await releaseClaim(tenant, claimedId, "internal error", now()).catch(() => undefined);
      message.retry(delay(message.attempts));
    }
  }

  return async function consumeSend(
    batch: MessageBatch<unknown>,
    env: Env,
    _ctx?: ExecutionContext,
  ): Promise<void> {
    await Promise.all(batch.messages.map((m) => handle(m, env)));
  };
}

/** The consumer the Worker runs (queues/index.ts). */
export const consumeSend = createSendConsumer();
