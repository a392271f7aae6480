import type { OutboundEmail } from "../../providers/types";
import { ComposeError } from "./errors";
import type { SendJob } from "./load";

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

/**
 * Compose every organization's messages taking turns (the first message of each organization, then
 * the second of each...), and stop rendering for an organization once its budget is spent. So a
 * batch where one organization has forty heavy messages and another one light message composes the
 * light one second, and the heavy organization's surplus waits for a later batch.
 */
export async function composeRoundRobin(
  groups: { key: string; jobs: SendJob[] }[],
  compose: (job: SendJob, key: string) => Promise<OutboundEmail>,
  budget: RenderBudget,
): Promise<Composed[]> {
  const out: Composed[] = [];
  const spent = new Map<string, number>();
  const rounds = Math.max(0, ...groups.map((g) => g.jobs.length));
  for (let i = 0; i < rounds; i++) {
    for (const g of groups) {
      const job = g.jobs[i];
      if (!job) continue;
      const used = spent.get(g.key) ?? 0;
      if (used >= budget.bytesPerOrganization) {
        out.push({ kind: "deferred", key: g.key, job });
        continue;
      }
      try {
        const email = await compose(job, g.key);
        spent.set(g.key, used + email.html.length + email.text.length);
        out.push({ kind: "ok", key: g.key, job, email });
      } catch (e) {
        spent.set(g.key, used + job.content.html.length + (job.content.text?.length ?? 0));
        if (!(e instanceof ComposeError)) throw e;
        out.push({ kind: "failed", key: g.key, job, reason: e.message });
      }
    }
  }
  return out;
}
