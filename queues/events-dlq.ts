import { createDb } from "../src/db/client";
import {
  newBatchContext,
  prefetchEvents,
  processEvent,
  recordEventFailure,
} from "../src/services/events/process";
import { EventMessage } from "./messages";

/**
 * EVENTS dead-letter queue: a message lands here after its retries ran out. One last attempt (the
 * outage may be over; a provider event still without its message is applied to the contact alone),
 * and when that fails too the reason is written on the event row, which stays unprocessed and can be
 * replayed by sending its id to EVENTS again. Every message is acked: the failure is recorded.
 */
export async function consumeEventsDlq(batch: MessageBatch<unknown>, env: Env): Promise<void> {
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
    console.error("events-dlq: prefetch failed", e);
  }
  for (const [i, message] of batch.messages.entries()) {
    const body = bodies[i] ?? EventMessage.safeParse(message.body);
    if (!body.success) {
      console.error("events-dlq: invalid message body, dropped", message.id);
      message.ack();
      continue;
    }
    let failure: string | null = null;
    try {
      // Attempts high enough that applyEvent no longer waits for a missing message.
      const result = await processEvent(env, db, body.data, Number.MAX_SAFE_INTEGER, ctx);
      if (result.kind === "retry") failure = result.reason;
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    }
    if (failure !== null) {
      console.error("events-dlq: giving up on event", body.data.event_id, failure);
      try {
        await recordEventFailure(db, body.data, failure);
      } catch (e) {
        // D1 itself is failing: keep the message so the failure is not lost silently.
        console.error("events-dlq: could not record the failure", body.data.event_id, e);
        message.retry({ delaySeconds: 300 });
        continue;
      }
    }
    message.ack();
  }
}
