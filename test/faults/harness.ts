/**
 * The fault-injection harness: a provider stand-in that fails a share of calls in every way a
 * provider fails, and a SEND queue simulator that redelivers, duplicates and runs batches
 * concurrently, handing the real SEND consumer (and, past max_retries, the real DLQ consumer) the
 * messages exactly as Cloudflare Queues would.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { delay } from "msw";
import { now, setClock } from "../../src/lib/clock";
import { HttpResponse, http, network } from "../helpers/network";
import { SES_URL } from "../helpers/sending";

/** A small seeded PRNG (mulberry32): the same seed gives the same faults, run after run. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type FaultKind = "throttled" | "server_error" | "timeout" | "dropped";

export interface ProviderStats {
  calls: number;
  accepted: number;
  faults: Record<FaultKind, number>;
  /** 2xx answers per message id (the SES message_id tag): more than 1 is a duplicate send. */
  acceptedByMessage: Map<string, number>;
}

/**
 * SES v2 stand-in: `share` of the calls fail, evenly across 429, 5xx, no answer before the
 * consumer's timeout (the request is never processed) and a dropped connection; the rest are
 * accepted and counted per message.
 */
export function faultySes(seed: number, share = 0.3, hangMs = 1_000): ProviderStats {
  const rand = random(seed);
  const stats: ProviderStats = {
    calls: 0,
    accepted: 0,
    faults: { throttled: 0, server_error: 0, timeout: 0, dropped: 0 },
    acceptedByMessage: new Map(),
  };
  const kinds: FaultKind[] = ["throttled", "server_error", "timeout", "dropped"];
  network.use(
    http.post(SES_URL, async ({ request }) => {
      stats.calls++;
      const r = rand();
      if (r < share) {
        const kind = kinds[Math.floor((r / share) * kinds.length)] as FaultKind;
        stats.faults[kind]++;
        if (kind === "throttled")
          return HttpResponse.json(
            { message: "Maximum sending rate exceeded." },
            { status: 429, headers: { "x-amzn-ErrorType": "TooManyRequestsException:" } },
          );
        if (kind === "server_error")
          return HttpResponse.json({ message: "Service unavailable" }, { status: r < share / 8 ? 500 : 503 });
        if (kind === "timeout") {
          await delay(hangMs);
          return HttpResponse.json({ message: "too late" }, { status: 504 });
        }
        return HttpResponse.error();
      }
      const body = (await request.json()) as { EmailTags?: { Name: string; Value: string }[] };
      const id = body.EmailTags?.find((t) => t.Name === "message_id")?.Value ?? "?";
      stats.accepted++;
      stats.acceptedByMessage.set(id, (stats.acceptedByMessage.get(id) ?? 0) + 1);
      return HttpResponse.json({ MessageId: `ses-${id}` });
    }),
  );
  return stats;
}

type Consumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

export interface QueueStats {
  deliveries: number;
  batches: number;
  retries: number;
  /** Acked messages delivered again, as when an ack is lost. */
  redelivered: number;
  /** Messages enqueued twice from the start. */
  duplicated: number;
  deadLettered: number;
}

interface InFlight {
  body: unknown;
  attempts: number;
}

let seq = 0;

async function deliverBatch(consumer: Consumer, items: InFlight[], queue: string) {
  const batch = createMessageBatch(
    queue,
    items.map((m) => ({ id: `f${++seq}`, timestamp: new Date(now()), attempts: m.attempts, body: m.body })),
  );
  const ctx = createExecutionContext();
  await consumer(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  const retried = new Set(result.retryMessages.map((r) => r.msgId));
  return batch.messages.map((m, i) => ({ item: items[i] as InFlight, retried: retried.has(m.id) }));
}

/**
 * Run `bodies` through the consumer as the SEND queue would: batches of `batchSize`, `parallel`
 * batches at once, a retried message back with attempts + 1 (to the DLQ consumer after
 * `maxRetries` retries), a share of acked messages delivered again, a share enqueued twice. The
 * clock moves on by each round's longest retry delay, so leases and backoffs play out.
 */
export async function runSendQueue(
  bodies: unknown[],
  opts: {
    consumer: Consumer;
    dlq: Consumer;
    seed: number;
    batchSize?: number;
    parallel?: number;
    maxRetries?: number;
    redeliverShare?: number;
    duplicateShare?: number;
    /** Called between rounds (e.g. to restart Durable Objects). */
    betweenRounds?: () => Promise<void>;
  },
): Promise<QueueStats> {
  const rand = random(opts.seed);
  const batchSize = opts.batchSize ?? 50;
  const parallel = opts.parallel ?? 4;
  const maxRetries = opts.maxRetries ?? 8;
  const stats: QueueStats = {
    deliveries: 0,
    batches: 0,
    retries: 0,
    redelivered: 0,
    duplicated: 0,
    deadLettered: 0,
  };
  let pending: InFlight[] = [];
  for (const body of bodies) {
    pending.push({ body, attempts: 1 });
    if (rand() < (opts.duplicateShare ?? 0.05)) {
      pending.push({ body, attempts: 1 });
      stats.duplicated++;
    }
  }
  const dead: InFlight[] = [];
  for (let round = 0; pending.length && round < 1000; round++) {
    // out of order: shuffle each round
    for (let i = pending.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [pending[i], pending[j]] = [pending[j] as InFlight, pending[i] as InFlight];
    }
    const next: InFlight[] = [];
    for (let i = 0; i < pending.length; i += batchSize * parallel) {
      const groups: InFlight[][] = [];
      for (let k = 0; k < parallel; k++) {
        const g = pending.slice(i + k * batchSize, i + (k + 1) * batchSize);
        if (g.length) groups.push(g);
      }
      const results = await Promise.all(groups.map((g) => deliverBatch(opts.consumer, g, "edge-mail-send")));
      for (const r of results.flat()) {
        stats.deliveries++;
        if (r.retried) {
          stats.retries++;
          const again = { body: r.item.body, attempts: r.item.attempts + 1 };
          if (r.item.attempts > maxRetries) dead.push(again);
          else next.push(again);
        } else if (r.item.attempts === 1 && rand() < (opts.redeliverShare ?? 0.1)) {
          stats.redelivered++;
          next.push({ body: r.item.body, attempts: r.item.attempts + 1 });
        }
      }
      stats.batches += groups.length;
    }
    // the retry delays pass (backoff is capped well under an hour)
    setClock(now() + 10 * 60_000);
    if (opts.betweenRounds) await opts.betweenRounds();
    pending = next;
  }
  for (let i = 0; i < dead.length; i += 10) {
    await deliverBatch(opts.dlq, dead.slice(i, i + 10), "edge-mail-send-dlq");
    stats.deadLettered += Math.min(10, dead.length - i);
  }
  return stats;
}
