import {
  createMessageBatch,
  createExecutionContext,
  getQueueResult,
  runDurableObjectAlarm,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach } from "vitest";
import { sequenceName } from "../../src/contracts/sequence";
import type { SequenceState } from "../../src/services/scenarios/engine/state";
import { consumeEnroll } from "../../queues/enroll";
import { createSendConsumer } from "../../queues/send";
import { resetClock } from "../../src/lib/clock";
import { seamed, setTestSeams } from "../../src/lib/seams";
import { createOrg, json, type TestOrg } from "./api";

/** An in-memory Queue: tests drain it by hand instead of letting miniflare deliver in the background. */
export class CaptureQueue<Body = unknown> implements Queue<Body> {
  messages: { body: Body; delaySeconds?: number }[] = [];
  async send(body: Body, options?: QueueSendOptions): Promise<QueueSendResponse> {
    this.messages.push({ body: structuredClone(body), delaySeconds: options?.delaySeconds });
    return { metadata: { metrics: { backlogCount: this.messages.length, backlogBytes: 0 } } };
  }
  async sendBatch(
    messages: Iterable<MessageSendRequest<Body>>,
    options?: QueueSendBatchOptions,
  ): Promise<QueueSendBatchResponse> {
    for (const m of messages)
      this.messages.push({
        body: structuredClone(m.body),
        delaySeconds: m.delaySeconds ?? options?.delaySeconds,
      });
    return { metadata: { metrics: { backlogCount: this.messages.length, backlogBytes: 0 } } };
  }
  async metrics(): Promise<QueueMetrics> {
    return { backlogCount: this.messages.length, backlogBytes: 0 };
  }
  take() {
    const out = this.messages;
    this.messages = [];
    return out;
  }
}

export interface Queues {
  send: CaptureQueue;
  enroll: CaptureQueue;
}

/** Swap the engine's SEND/ENROLL queues for capture queues around each test; reset the clock after. */
export function useScenarioQueues(): Queues {
  const q: Queues = { send: new CaptureQueue(), enroll: new CaptureQueue() };
  beforeEach(() => {
    q.send = new CaptureQueue();
    q.enroll = new CaptureQueue();
    setTestSeams({ sendQueue: q.send, enrollQueue: q.enroll });
  });
  afterEach(() => {
    setTestSeams({});
    resetClock();
  });
  return q;
}

let msgSeq = 0;
const batchOf = <T>(queue: string, bodies: T[]) =>
  createMessageBatch(
    queue,
    bodies.map((body) => ({ id: `m${++msgSeq}`, timestamp: new Date(), attempts: 1, body })),
  );

/** Run the ENROLL consumer until its queue is empty (pages chain; sweeps too). Answers pages run. */
export async function drainEnroll(q: Queues, maxRounds = 500): Promise<number> {
  let pages = 0;
  for (let i = 0; i < maxRounds; i++) {
    const n = await enrollRound(q);
    if (!n) return pages;
    pages += n;
  }
  throw new Error("ENROLL queue did not drain");
}

/** Run the ENROLL consumer once over the messages captured so far (batches of 5); answers how many. */
export async function enrollRound(q: Queues): Promise<number> {
  const msgs = q.enroll.take();
  for (let j = 0; j < msgs.length; j += 5) {
    const batch = batchOf(
      "edge-mail-enroll",
      msgs.slice(j, j + 5).map((m) => m.body),
    );
    const ctx = createExecutionContext();
    await consumeEnroll(batch, seamed(env), ctx);
    const res = await getQueueResult(batch, ctx);
    if (res.retryMessages.length) throw new Error(`ENROLL retried ${res.retryMessages.length} message(s)`);
  }
  return msgs.length;
}

/** The real SEND consumer, without pacing waits. */
export const sendConsumer = createSendConsumer({ sleep: async () => undefined });

/** Deliver every captured SEND message to the real SEND consumer (it claims, sends via `log`, tells the DO). */
export async function drainSend(
  q: Queues,
  bodies?: unknown[],
  workerEnv: Env = seamed(env),
): Promise<number> {
  const msgs = bodies ?? q.send.take().map((m) => m.body);
  for (let i = 0; i < msgs.length; i += 10) {
    const batch = batchOf("edge-mail-send", msgs.slice(i, i + 10));
    const ctx = createExecutionContext();
    await sendConsumer(batch, workerEnv, ctx);
    await getQueueResult(batch, ctx);
  }
  return msgs.length;
}

export const seqStub = (scenarioId: string, contactId: string) =>
  env.SEQUENCE.get(env.SEQUENCE.idFromName(sequenceName(scenarioId, contactId)));

/** A SequenceDO's state (cast: the RPC type of a journey's state is too deep to infer in a Promise.all). */
export async function stateOf(scenarioId: string, contactId: string) {
  return (await seqStub(scenarioId, contactId).inspect()) as unknown as SequenceState | null;
}

/** Fire the alarms of these sequences (a few at a time); answers how many ran. */
export async function fireAlarms(
  scenarioId: string,
  contactIds: string[],
  concurrency = 50,
): Promise<number> {
  let ran = 0;
  for (let i = 0; i < contactIds.length; i += concurrency) {
    const results = await Promise.all(
      contactIds.slice(i, i + concurrency).map((c) => runDurableObjectAlarm(seqStub(scenarioId, c))),
    );
    ran += results.filter(Boolean).length;
  }
  return ran;
}

export interface Fixture {
  org: TestOrg;
  templates: string[];
}

/** An organization with `n` templates. */
export async function fixture(n = 3): Promise<Fixture> {
  const org = await createOrg();
  const templates: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = await json<{ id: string }>("/api/v1/templates", {
      key: org.key,
      body: {
        name: `T${i}`,
        subject: `Subject ${i} for {{ first_name | default: "you" }}`,
        html: `<p>Body ${i}</p>`,
      },
      expect: 201,
    });
    templates.push(t.id);
  }
  return { org, templates };
}

export async function createScenario(f: Fixture, body: Record<string, unknown> = {}) {
  return json<{ id: string; status: string }>("/api/v1/scenarios", {
    key: f.org.key,
    body: { name: "Welcome", from_email: "news@sender.example", ...body },
    expect: 201,
  });
}

export async function putSteps(f: Fixture, scenarioId: string, steps: unknown[], expect = 200) {
  return json(`/api/v1/scenarios/${scenarioId}/steps`, {
    key: f.org.key,
    method: "PUT",
    body: { steps },
    expect,
  });
}

export async function transition(
  f: Fixture,
  scenarioId: string,
  t: "start" | "pause" | "resume" | "stop",
  expect = 200,
) {
  return json(`/api/v1/scenarios/${scenarioId}/${t}`, { key: f.org.key, method: "POST", expect });
}

export async function createContact(f: Fixture, body: Record<string, unknown>) {
  return json<{ id: string }>("/api/v1/contacts", { key: f.org.key, body, expect: 201 });
}

/** Import `n` contacts by CSV (one request). Answers their ids, in creation order. */
export async function importContacts(
  f: Fixture,
  n: number,
  row: (i: number) => string = (i) => `user${i}@example.com,User${i}`,
) {
  const csv = ["email,first_name", ...Array.from({ length: n }, (_, i) => row(i))].join("\n");
  await json("/api/v1/contacts/import", { key: f.org.key, raw: csv, contentType: "text/csv", expect: 200 });
  const res = await env.DB.prepare("SELECT id FROM contacts WHERE organization_id = ?1 ORDER BY id")
    .bind(f.org.id)
    .all<{ id: string }>();
  return res.results.map((r) => r.id);
}

export { resetClock };

export interface LedgerRowView {
  id: string;
  contact_id: string;
  step_order: number;
  status: string;
  reason: string | null;
  variant_name: string | null;
  template_id: string | null;
}

/** The scenario's ledger rows, by contact then step. */
export async function ledgerOf(scenarioId: string): Promise<LedgerRowView[]> {
  const res = await env.DB.prepare(
    "SELECT id, contact_id, step_order, status, reason, variant_name, template_id FROM operation_ledger WHERE scenario_id = ? ORDER BY contact_id, step_order, created_at",
  )
    .bind(scenarioId)
    .all<LedgerRowView>();
  return res.results;
}

/** Messages the log provider recorded for the scenario (one per provider call). */
export async function sentMessages(scenarioId: string) {
  const res = await env.DB.prepare(
    "SELECT contact_id, step_order, variant_name, status FROM messages WHERE scenario_id = ? ORDER BY contact_id, step_order",
  )
    .bind(scenarioId)
    .all<{ contact_id: string; step_order: number; variant_name: string | null; status: string }>();
  return res.results;
}

/** Create, define and start a scenario, create its contacts first, and run enrollment to the end. */
export async function runningScenario(
  f: Fixture,
  q: Queues,
  opts: { settings?: Record<string, unknown>; steps: unknown[]; contacts?: Record<string, unknown>[] },
) {
  const contactIds: string[] = [];
  for (const c of opts.contacts ?? [{ email: "ada@example.com", first_name: "Ada" }])
    contactIds.push((await createContact(f, c)).id);
  const s = await createScenario(f, opts.settings);
  await putSteps(f, s.id, opts.steps);
  await transition(f, s.id, "start");
  await drainEnroll(q);
  return { scenarioId: s.id, contactIds };
}

export const entry = (template: string, extra: Record<string, unknown> = {}) => ({
  step_order: 1,
  name: "Welcome",
  trigger: "entry",
  template_id: template,
  ...extra,
});
export const child = (
  order: number,
  trigger: string,
  parent: number,
  template: string,
  extra: Record<string, unknown> = {},
) => ({
  step_order: order,
  name: `Step ${order}`,
  trigger,
  parent_step_order: parent,
  template_id: template,
  ...extra,
});
