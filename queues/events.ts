import { createDb, type Db } from "../src/db/client";
import { newBatchContext, prefetchEvents, processEvent } from "../src/services/events/process";
import { EventMessage } from "./messages";

/** Exponential backoff for a transient failure: 5 s, 10 s, 20 s ... capped at 10 minutes. */
export const retryDelaySeconds = (attempts: number) => Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));

/**
 * Validate every body and read the batch's event rows up front. An invalid body is a permanent
 * failure: it is logged and acked here (nothing can ever process it). Answers the valid messages
 * with their bodies, in batch order.
 */
export async function openBatch(batch: MessageBatch<unknown>, db: Db, label: string) {
  const ctx = newBatchContext();
  const items: { message: Message<unknown>; body: EventMessage }[] = [];
  for (const message of batch.messages) {
    const body = EventMessage.safeParse(message.body);
    if (body.success) items.push({ message, body: body.data });
    else {
      console.error(`${label}: invalid message body, dropped`, message.id, body.error.message);
      message.ack();
    }
  }
  try {
    await prefetchEvents(
      db,
      items.map((i) => i.body),
      ctx,
    );
  } catch (e) {
    // Each event is then read on its own.
    console.error(`${label}: prefetch failed`, e);
  }
  return { ctx, items };
}

/**
 * EVENTS consumer: each message names one stored raw event. Messages are processed one after the
 * other so that two events of the same message (an open then a click) apply in order. Each message
 * is acked on success or on a permanent failure that is recorded (an invalid body is logged; the
 * event row, if any, stays stored), and retried with backoff on a transient one; never ackAll.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB);
  const { ctx, items } = await openBatch(batch, db, "events");
  for (const { message, body } of items) {
    try {
      const result = await processEvent(env, db, body, message.attempts, ctx);
      if (result.kind === "retry") message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      else message.ack();
    } catch (e) {
      console.error("events: processing failed, will retry", body.event_id, e);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
