import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { SendOutcome } from "../../src/contracts/sequence";
import type { SendMessage } from "../../src/contracts/queue-messages";
import { createDb } from "../../src/db/client";
import { contactSequences, scenarioSteps, scenarios, stepVariants } from "../../src/db/schema";
import { now } from "../../src/lib/clock";
import { newId } from "../../src/lib/ids";
import { type Tenant, tenantScope } from "../../src/lib/tenant";
import { createSendOperation } from "../../src/services/ledger/create";
import { createOrg, json, type TestOrg } from "./api";
import type { LedgerRow, SendOperationInput } from "../../src/services/ledger/types";

export const SES_URL = "https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails";
export const BREVO_URL = "https://api.brevo.com/v3/smtp/email";

export interface SendingFixture {
  org: TestOrg;
  tenant: Tenant;
  contact: { id: string; email: string };
  template: { id: string };
  scenarioId: string;
}

let seq = 0;

/**
 * An organization with one contact, one template (API) and one active scenario with a step of two
 * variants (drizzle; the scenario routes are another feature's), on the given provider.
 */
export async function sendingFixture(
  opts: {
    provider?: "log" | "ses" | "brevo";
    html?: string;
    text?: string | null;
    includeUnsubscribe?: boolean;
  } = {},
): Promise<SendingFixture> {
  const org = await createOrg();
  const tenant = tenantScope(createDb(env.DB), org.id);
  const n = ++seq;
  const contact = await json<{ id: string; email: string }>("/api/v1/contacts", {
    key: org.key,
    body: { email: `ada${n}@example.com`, first_name: "Ada" },
    expect: 201,
  });
  const template = await json<{ id: string }>("/api/v1/templates", {
    key: org.key,
    body: {
      name: "Welcome",
      subject: "Hello {{ first_name }}",
      html:
        opts.html ??
        '<html><body><p>Hi {{ first_name }}, read <a href="https://example.org/post?a=1&amp;b=2">our post</a>.</p>' +
          '<p><a href="{{ unsubscribe_url }}">stop</a> <a href="mailto:help@example.org">mail us</a></p></body></html>',
      ...(opts.text !== undefined ? { text: opts.text } : {}),
    },
    expect: 201,
  });
  if (opts.provider === "ses") await configureSes(org);
  if (opts.provider === "brevo") await configureBrevo(org);
  const at = now();
  const scenarioId = newId("sc", at);
  const stepId = newId("st", at);
  const db = tenant.db;
  await db.batch([
    db.insert(scenarios).values({
      id: scenarioId,
      organizationId: org.id,
      name: "Onboarding",
      status: "active",
      provider: opts.provider ?? "log",
      fromEmail: "news@sender.example",
      fromName: "Sender Co",
      includeUnsubscribe: opts.includeUnsubscribe ?? true,
      stepsVersion: 1,
      createdAt: at,
      updatedAt: at,
    }),
    db.insert(scenarioSteps).values({
      id: stepId,
      organizationId: org.id,
      scenarioId,
      version: 1,
      stepOrder: 1,
      name: "first",
      trigger: "entry",
      templateId: template.id,
    }),
    db.insert(stepVariants).values([
      { id: newId("sv", at), organizationId: org.id, stepId, name: "A", templateId: template.id, weight: 1 },
      { id: newId("sv", at), organizationId: org.id, stepId, name: "B", templateId: template.id, weight: 1 },
    ]),
    db.insert(contactSequences).values({
      id: newId("cs", at),
      organizationId: org.id,
      scenarioId,
      contactId: contact.id,
      stepsVersion: 1,
      createdAt: at,
      updatedAt: at,
    }),
  ]);
  return { org, tenant, contact, template, scenarioId };
}

export const configureSes = (org: TestOrg, extra: Record<string, unknown> = {}) =>
  json("/api/v1/settings/providers", {
    key: org.key,
    method: "PUT",
    body: {
      ses: {
        region: "eu-west-1",
        access_key_id: "AKIAIOSFODNN7EXAMPLE",
        secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        configuration_set: "marketing",
        ...extra,
      },
    },
    expect: 200,
  });

export const configureBrevo = (org: TestOrg) =>
  json("/api/v1/settings/providers", {
    key: org.key,
    method: "PUT",
    body: { brevo: { api_key: "xkeysib-test-0123456789" } },
    expect: 200,
  });

/** Create the ledger row through the shared ledger service; the enqueued body is captured, not sent. */
export async function enqueueSend(tenant: Tenant, input: SendOperationInput) {
  const sent: SendMessage[] = [];
  const queue = { send: async (body: SendMessage) => void sent.push(body) } as unknown as Queue;
  const res = await createSendOperation(tenant, queue, input);
  const body = sent[0];
  if (!body) throw new Error("nothing was enqueued");
  return { ...res, body };
}

/** The scenario send of step 1 (variant A) for the fixture's contact. */
export const scenarioSend = (f: SendingFixture, scope = "1") =>
  enqueueSend(f.tenant, {
    keyParts: [f.org.id, f.scenarioId, 1, f.contact.id, scope],
    contactId: f.contact.id,
    scenarioId: f.scenarioId,
    stepOrder: 1,
    variantName: "A",
    templateId: f.template.id,
  });

type Consumer = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

/**
 * Deliver the bodies to a consumer as the queue would (attempts = delivery count) and collect
 * acks and retries. getQueueResult does not report retry delays, so each message's retry() is
 * observed on the way through and its delaySeconds put back into `retryMessages`.
 */
export async function deliver(
  consumer: Consumer,
  bodies: SendMessage[],
  attempts = 1,
  workerEnv: Env = env,
  queue = "edge-mail-send",
) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `m${++seq}-${i}`, timestamp: new Date(now()), attempts, body })),
  );
  const delays = new Map<string, number | undefined>();
  const observed = batch.messages.map(
    (m) =>
      new Proxy(m, {
        get(target, prop) {
          if (prop === "retry") {
            return (options?: QueueRetryOptions) => {
              delays.set(target.id, options?.delaySeconds);
              target.retry(options);
            };
          }
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }),
  );
  const observedBatch: MessageBatch<unknown> = {
    queue: batch.queue,
    messages: observed,
    ackAll: () => batch.ackAll(),
    retryAll: (options) => batch.retryAll(options),
    metadata: batch.metadata,
  };
  const ctx = createExecutionContext();
  await consumer(observedBatch, workerEnv, ctx);
  const result = await getQueueResult(batch, ctx);
  return {
    ...result,
    retryMessages: result.retryMessages.map((r) => ({ ...r, delaySeconds: delays.get(r.msgId) })),
  };
}

/** A notify spy standing in for SequenceDO.onSendResult. */
export function outcomeSpy() {
  const outcomes: { ledgerId: string; outcome: SendOutcome }[] = [];
  const notify = async (_env: Env, ledger: LedgerRow, outcome: SendOutcome) => {
    outcomes.push({ ledgerId: ledger.id, outcome });
  };
  return { outcomes, notify };
}
