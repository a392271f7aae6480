import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { createDb } from "../../src/db/client";
import { contacts, rules } from "../../src/db/schema";
import { now } from "../../src/lib/clock";
import { type Tenant, tenantScope } from "../../src/lib/tenant";
import { ruleDeps } from "../../src/services/rules/deps";
import { evaluateRules } from "../../src/services/rules/engine";
import { getRun, type Run } from "../../src/services/rules/runs";
import { runScheduledAction } from "../../src/services/rules/scheduled";
import type { RuleDeps, RuleEvent, ScheduledAction } from "../../src/services/rules/types";
import { createOrg, json, type TestOrg } from "./api";

/** A pinned instant in the future (a Durable Object alarm set from it never fires during a test). */
export const T0 = Date.UTC(2031, 0, 6, 10, 0, 0);

export interface Sent {
  body: unknown;
  delaySeconds?: number;
}

/** A Queue that records what it is given instead of delivering it. */
export function recordingQueue(): Queue & { sent: Sent[] } {
  const sent: Sent[] = [];
  const queue = {
    sent,
    async send(body: unknown, opts?: QueueSendOptions) {
      sent.push({ body, delaySeconds: opts?.delaySeconds });
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds });
    },
    async metrics() {
      return { backlogCount: 0, backlogBytes: 0 };
    },
  };
  return queue as unknown as Queue & { sent: Sent[] };
}

export interface RulesFixture {
  org: TestOrg;
  tenant: Tenant;
  deps: RuleDeps;
  send: ReturnType<typeof recordingQueue>;
  enroll: ReturnType<typeof recordingQueue>;
  /** What went to the scheduler (ACTIONS queue or timer), with its delay. */
  scheduled: { message: ScheduledAction; delaySeconds: number }[];
}

/**
 * An organization whose rules engine sends to recorders instead of queues. `keepDefaults: false`
 * (the default) deletes the five default rules so a test sees only its own.
 */
export async function rulesFixture(
  opts: { keepDefaults?: boolean; fetch?: typeof fetch } = {},
): Promise<RulesFixture> {
  const org = await createOrg();
  const tenant = tenantScope(createDb(env.DB), org.id);
  if (!opts.keepDefaults) await tenant.db.delete(rules).where(eq(rules.organizationId, org.id));
  const send = recordingQueue();
  const enroll = recordingQueue();
  const scheduled: RulesFixture["scheduled"] = [];
  const deps = ruleDeps(env, tenant, {
    sendQueue: send,
    enrollQueue: enroll,
    scheduler: {
      async schedule(message, delaySeconds) {
        scheduled.push({ message, delaySeconds });
      },
    },
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  return { org, tenant, deps, send, enroll, scheduled };
}

let n = 0;
export async function makeContact(org: TestOrg, body: Record<string, unknown> = {}) {
  return json<{ id: string; email: string; tags: string[]; score: number }>("/api/v1/contacts", {
    key: org.key,
    body: { email: `rules${++n}-${Date.now()}@example.com`, first_name: "Ada", ...body },
    expect: 201,
  });
}

export async function makeRule(org: TestOrg, body: Record<string, unknown>) {
  return json<{ id: string }>("/api/v1/rules", {
    key: org.key,
    body: { name: "test rule", ...body },
    expect: 201,
  });
}

let ev = 0;
/** A rule event for a contact; the id is fresh unless given. */
export function ruleEvent(contactId: string, e: Partial<RuleEvent> & Pick<RuleEvent, "trigger">): RuleEvent {
  return { id: `ev_test${++ev}`, contact_id: contactId, occurred_at: T0, properties: {}, depth: 0, ...e };
}

export const evaluate = (f: RulesFixture, e: RuleEvent) => evaluateRules(f.deps, e);

export async function contactRow(f: RulesFixture, id: string) {
  const row = await f.tenant.db.select().from(contacts).where(eq(contacts.id, id)).get();
  if (!row) throw new Error(`contact ${id} missing`);
  return { ...row, tags: JSON.parse(row.tags) as string[] };
}

/** The runs of a rule, newest first, through the API. */
export async function runsOf(org: TestOrg, ruleId: string) {
  const res = await json<{ items: RunJson[] }>(`/api/v1/rules/${ruleId}/runs`, { key: org.key, expect: 200 });
  return res.items;
}
export interface RunJson {
  id: string;
  event_id: string;
  status: string;
  depth: number;
  actions: {
    index: number;
    type: string;
    status: string;
    reason: string | null;
    due_at: string | null;
    attempts: number;
  }[];
}

/** Run every scheduled action recorded so far (as the ACTIONS consumer would at its due time). */
export async function drainScheduled(f: RulesFixture) {
  const due = f.scheduled.splice(0);
  const results = [];
  for (const s of due) results.push(await runScheduledAction(f.deps, s.message));
  return results;
}

export async function runById(f: RulesFixture, id: string): Promise<Run> {
  const run = await getRun(f.tenant, id);
  if (!run) throw new Error(`run ${id} missing`);
  return run;
}

type Consumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;
let delivery = 0;

/**
 * Deliver bodies to a queue consumer as the queue would (attempts = delivery count) and report
 * which were acked and which retried, with the delay each retry asked for.
 */
export async function deliver(
  consumer: Consumer,
  bodies: unknown[],
  attempts = 1,
  queue = "edge-mail-actions",
) {
  const acked: string[] = [];
  const retried: { id: string; delaySeconds?: number }[] = [];
  const messages = bodies.map((body) => {
    const id = `d${++delivery}`;
    return {
      id,
      timestamp: new Date(now()),
      attempts,
      body,
      ack: () => acked.push(id),
      retry: (o?: QueueRetryOptions) => retried.push({ id, delaySeconds: o?.delaySeconds }),
    };
  });
  const batch = {
    queue,
    messages,
    ackAll: () => undefined,
    retryAll: () => undefined,
  } as unknown as MessageBatch<unknown>;
  await consumer(batch, env, createExecutionContext());
  return { acked, retried };
}
