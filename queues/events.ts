import { createDb } from "../src/db/client";
import { newBatchContext, prefetchEvents, processEvent } from "../src/services/events/process";
import { EventMessage } from "./messages";

/** Exponential backoff for a transient failure: 5 s, 10 s, 20 s ... capped at 10 minutes. */
export const retryDelaySeconds = (attempts: number) => Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));

/**
 * EVENTS consumer: each message names one stored raw event. Messages are processed one after the
 * other so that two events of the same message (an open then a click) apply in order. Each message
 * is acked on success or on a permanent failure that is recorded (an invalid body is logged; the
 * event row, if any, stays stored), and retried with backoff on a transient one; never ackAll.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB);
  const ctx = newBatchContext();
  const bodies = batch.messages.map((m) => EventMessage.safeParse(m.body));
  try {
    await prefetchEvents(
      db,
      bodies.flatMap((b) => (b.success ? [b.data] : [])),
      ctx,
    );
  } catch (e) {
    // Each event is read on its own below instead.
    console.error("events: prefetch failed", e);
  }
  for (const [i, message] of batch.messages.entries()) {
    const body = bodies[i] ?? EventMessage.safeParse(message.body);
    if (!body.success) {
      console.error("events: invalid message body, dropped", message.id, body.error.message);
      message.ack();
      continue;
    }
    try {
      const result = await processEvent(env, db, body.data, message.attempts, ctx);
      if (result.kind === "retry") message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      else message.ack();
    } catch (e) {
      console.error("events: processing failed, will retry", body.data.event_id, e);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
