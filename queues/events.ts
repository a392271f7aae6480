import { backoffSeconds } from "../src/lib/result";
import { newBatchContext, prefetchEvents, processEvents } from "../src/services/events/consume/batch";
import { type EventRef, EventMessage, eventIdsOf } from "../src/contracts/queue-messages";

/** A transient failure waits up to 5 s, 10 s, 20 s ... 10 minutes (lib/result.ts backoffSeconds). */
export const EVENTS_BACKOFF = { baseSeconds: 5, maxSeconds: 600 };

/**
 * Validate every body and read the batch's event rows up front. An invalid body is a permanent
 * failure: it is logged and acked here (nothing can ever process it). Answers the valid messages
 * with the events each names, in batch order.
 */
export async function openBatch(batch: MessageBatch<unknown>, env: Env, label: string) {
  const ctx = newBatchContext();
  const items: { message: Message<unknown>; refs: EventRef[] }[] = [];
  for (const message of batch.messages) {
    const body = EventMessage.safeParse(message.body);
    if (body.success) {
      const org = body.data.organization_id;
      items.push({
        message,
        refs: eventIdsOf(body.data).map((id) => ({ event_id: id, organization_id: org })),
      });
    } else {
      console.error(`${label}: invalid message body, dropped`, message.id, body.error.message);
      message.ack();
    }
  }
  try {
    await prefetchEvents(
      env,
      items.flatMap((i) => i.refs),
      ctx,
    );
  } catch (e) {
    // Each event is then read on its own.
    console.error(`${label}: prefetch failed`, e);
  }
  return { ctx, items };
}

/**
 * EVENTS consumer: each message names stored raw events (one, or one delivery's). The whole batch
 * is worked together (processEvents): its rows read in a few queries, its events planned in order
 * (two events of the same message, an open then a click, apply in order) and written in a few D1
 * transactions, then the subscribers. Each message is acked on success or on a permanent failure
 * that is recorded (an invalid body is logged; the event row, if any, stays stored), and retried
 * with backoff when any of its events must be; never ackAll.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const { ctx, items } = await openBatch(batch, env, "events");
  const results = await processEvents(
    env,
    items.map(({ message, refs }) => ({ refs, attempts: message.attempts })),
    ctx,
  );
  for (const [i, { message }] of items.entries()) {
    if (results[i]?.action === "retry")
      message.retry({ delaySeconds: backoffSeconds(message.attempts, undefined, EVENTS_BACKOFF) });
    else message.ack();
  }
}
