import { tenantFor } from "../src/db/route";
import type { Tenant } from "../src/lib/tenant";
import { type BackoffOptions, backoffSeconds, type Disposition } from "../src/lib/result";
import { type BatchDeps, runSendBatch } from "../src/services/sending/batch";
import { DEFAULT_RENDER_BUDGET, type RenderBudget } from "../src/services/sending/fairness";
import { type NotifySequence, notifySequence } from "../src/services/sending/notify";
import { durablePacer, memoryPacer, type Pacer, realSleep, type Sleep } from "../src/services/sending/pacing";
import { SendMessage } from "../src/contracts/queue-messages";

export interface SendConsumerOptions {
  /** Provider call timeout (default 15 s). */
  timeoutMs?: number;
  /** How a send waits for its slot (tests pass a recorder instead of a timer). */
  sleep?: Sleep;
  /** Default: the PACER Durable Object (account-wide), else an in-memory pacer. */
  pacer?: Pacer;
  backoff?: BackoffOptions;
  notify?: NotifySequence;
  /** Longest wait for send slots inside one batch (default 5 s); later slots go back on the queue. */
  maxPaceWaitMs?: number;
  budget?: RenderBudget;
}

const fallbackPacer = memoryPacer();

/**
 * SEND queue consumer. Validates each body, then works the whole batch at once (runSendBatch): each
 * organization's rows are claimed (pending -> sending) in one UPDATE before any provider call, so a
 * message whose row is missing, already claimed or final is acked with no call (redelivery,
 * duplicate enqueue). Transient provider failures give the row back and `retry({ delaySeconds })`
 * with exponential backoff and jitter; permanent ones are recorded and acked. A send that waits for
 * its account's rate (or its organization's render budget) goes back on the queue as a new message
 * with the wait as its delay, so waiting never uses up its retries. After max_retries the queue
 * moves a message to the DLQ, whose consumer (send-dlq.ts) records the failure.
 */
export function createSendConsumer(options: SendConsumerOptions = {}) {
  const deps = (env: Env): BatchDeps => ({
    pacer: options.pacer ?? (env.PACER ? durablePacer(env.PACER) : fallbackPacer),
    sleep: options.sleep ?? realSleep,
    timeoutMs: options.timeoutMs ?? 15_000,
    notify: options.notify ?? notifySequence,
    maxPaceWaitMs: options.maxPaceWaitMs ?? 5_000,
    budget: options.budget ?? DEFAULT_RENDER_BUDGET,
  });

  return async function consumeSend(
    batch: MessageBatch<unknown>,
    env: Env,
    _ctx?: ExecutionContext,
  ): Promise<void> {
    const items: { message: Message<unknown>; body: SendMessage }[] = [];
    const tenants = new Map<string, { tenant: Tenant; ledgerIds: string[] }>();
    for (const message of batch.messages) {
      const body = SendMessage.safeParse(message.body);
      if (!body.success) {
        // No ledger id to record against: say so loudly rather than retrying a body that cannot parse.
        console.error(`SEND: invalid message ${message.id} acked: ${body.error.message}`);
        message.ack();
        continue;
      }
      items.push({ message, body: body.data });
      const org = body.data.organization_id;
      const group = tenants.get(org) ?? { tenant: await tenantFor(env, org), ledgerIds: [] };
      if (!group.ledgerIds.includes(body.data.ledger_id)) group.ledgerIds.push(body.data.ledger_id);
      tenants.set(org, group);
    }
    if (!items.length) return;
    let dispositions: Map<string, Disposition>;
    try {
      dispositions = await runSendBatch(env, tenants, deps(env));
    } catch (e) {
      // A bug before any provider call (the batch never throws after one): retry everything.
      console.error("SEND: batch failed unexpectedly", e instanceof Error ? e.message : e);
      for (const { message } of items)
        message.retry({ delaySeconds: backoffSeconds(message.attempts, undefined, options.backoff) });
      return;
    }
    await Promise.all(
      items.map(async ({ message, body }) => {
        const d = dispositions.get(body.ledger_id) ?? { action: "ack" };
        if (d.action === "ack") return message.ack();
        if (d.backoff !== false)
          return message.retry({
            delaySeconds: backoffSeconds(message.attempts, d.retryAfterSeconds, options.backoff),
          });
        try {
          await env.SEND_QUEUE.send(body, { delaySeconds: d.retryAfterSeconds ?? 1 });
          message.ack();
        } catch {
          message.retry({ delaySeconds: d.retryAfterSeconds ?? 1 });
        }
      }),
    );
  };
}

/** The consumer the Worker runs (queues/index.ts). */
export const consumeSend = createSendConsumer();
