import { processEvent, recordEventFailure } from "../src/services/events/consume/batch";
import { openBatch } from "./events";

/**
 * EVENTS dead-letter queue: a message lands here after its retries ran out. One last attempt (the
 * outage may be over; a provider event still without its message is applied to the contact alone),
 * and when that fails too the reason is written on the event row, which stays unprocessed and can be
 * replayed by sending its id to EVENTS again. Every message is acked once its failure is recorded.
 */
export async function consumeEventsDlq(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const { ctx, items } = await openBatch(batch, env, "events-dlq");
  for (const { message, refs } of items) {
    let keep = false;
    for (const body of refs) {
      let failure: string | null = null;
      try {
        // Attempts high enough that planEvent no longer waits for a missing message.
        const result = await processEvent(env, body, Number.MAX_SAFE_INTEGER, ctx);
        if (result.action === "retry") failure = result.reason;
      } catch (e) {
        failure = e instanceof Error ? e.message : String(e);
      }
      if (failure === null) continue;
      console.error("events-dlq: giving up on event", body.event_id, failure);
      try {
        await recordEventFailure(env, body, failure);
      } catch (e) {
        // D1 itself is failing: keep the message so the failure is not lost silently.
        console.error("events-dlq: could not record the failure", body.event_id, e);
        keep = true;
      }
    }
    if (keep) message.retry({ delaySeconds: 300 });
    else message.ack();
  }
}
