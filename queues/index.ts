import { consumeEnroll, consumeEnrollDlq } from "./enroll";
import { consumeEvents } from "./events";
import { consumeEventsDlq } from "./events-dlq";
import { consumeRuleActions, consumeRuleActionsDlq } from "./rule-actions";
import { consumeSend } from "./send";
import { consumeSendDlq } from "./send-dlq";

/**
 * Queue dispatch: one consumer per queue (one file each in this folder), chosen by the queue's
 * name suffix so that environment-prefixed queue names work too.
 */
type Consumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

const consumers: { suffix: string; consume: Consumer }[] = [
  { suffix: "-send", consume: consumeSend },
  { suffix: "-send-dlq", consume: consumeSendDlq },
  { suffix: "-enroll", consume: consumeEnroll },
  { suffix: "-enroll-dlq", consume: consumeEnrollDlq },
  { suffix: "-events", consume: consumeEvents },
  { suffix: "-events-dlq", consume: consumeEventsDlq },
  { suffix: "-actions", consume: consumeRuleActions },
  { suffix: "-actions-dlq", consume: consumeRuleActionsDlq },
];

export async function handleQueueBatch(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) {
  const consumer = consumers.find((c) => batch.queue.endsWith(c.suffix));
  if (!consumer) {
    // No consumer yet for this queue: keep the messages (retry), never drop them.
    console.error(`no consumer for queue ${batch.queue}; retrying ${batch.messages.length} message(s)`);
    for (const m of batch.messages) m.retry({ delaySeconds: 60 });
    return;
  }
  await consumer.consume(batch, env, ctx);
}
