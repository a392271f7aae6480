import type { OutboundEmail } from "../../providers/types";
import { ComposeError } from "./errors";
import type { SendJob } from "./load";
import { yieldToEventLoop } from "../../lib/turns";

/**
 * How much one organization may render in one SEND batch. Workers freeze the clock during
 * synchronous work, so render time cannot be measured inside the isolate: the budget counts what
 * rendering produced (bytes of HTML and text), which is what a heavy template costs. Liquid's own
 * memory limit bounds a single render (services/liquid.ts).
 */
export interface RenderBudget {
  bytesPerOrganization: number;
}

export const DEFAULT_RENDER_BUDGET: RenderBudget = { bytesPerOrganization: 8_000_000 };

export type Composed =
  | { kind: "ok"; key: string; job: SendJob; email: OutboundEmail }
  | { kind: "failed"; key: string; job: SendJob; reason: string }
  /** Not rendered: the organization spent its budget in this batch; it goes back on the queue. */
  | { kind: "deferred"; key: string; job: SendJob };

/** No turn given: a batch of one organization has no other lane to let through. */
export const noPause = () => Promise.resolve();

/**
 * Compose one organization's messages of a batch in turn, until its render budget is spent (the
 * rest waits for a later batch), giving the event loop a turn after each one. Each organization of
 * a batch runs in its own lane (batch.ts), concurrently: a lane that renders forty heavy messages
 * lets a light organization's message be composed, sent and recorded between two of its renders,
 * instead of after all of them. A batch of one organization renders without pausing: a turn of the
 * event loop is a timer, and under load (wrangler dev runs every consumer and object on one thread)
 * each one waited behind the work of other consumers, 19 s for a 50-message batch against 0.1 s
 * (bench/README.md, section 6).
 */
export async function composeWithinBudget(
  key: string,
  jobs: SendJob[],
  compose: (job: SendJob, key: string) => Promise<OutboundEmail>,
  budget: RenderBudget,
  pause: () => Promise<void> = yieldToEventLoop,
): Promise<Composed[]> {
  const out: Composed[] = [];
  let spent = 0;
  for (const job of jobs) {
    if (spent >= budget.bytesPerOrganization) {
      out.push({ kind: "deferred", key, job });
      continue;
    }
    try {
      const email = await compose(job, key);
      spent += email.html.length + email.text.length;
      out.push({ kind: "ok", key, job, email });
    } catch (e) {
      spent += job.content.html.length + (job.content.text?.length ?? 0);
      if (!(e instanceof ComposeError)) throw e;
      out.push({ kind: "failed", key, job, reason: e.message });
    }
    await pause();
  }
  return out;
}
