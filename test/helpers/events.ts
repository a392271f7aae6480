import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, isNull } from "drizzle-orm";
import { consumeEvents } from "../../queues/events";
import type { EventMessage } from "../../src/contracts/queue-messages";
import { createDb } from "../../src/db/client";
import {
  contactSequences,
  contacts,
  events,
  messages,
  organizations,
  providerAccounts,
  scenarioSteps,
  scenarios,
  stepVariants,
} from "../../src/db/schema";
import { now } from "../../src/lib/clock";
import { newId } from "../../src/lib/ids";
import { type Tenant, tenantScope } from "../../src/lib/tenant";
import { createContact } from "../../src/services/contacts/store";
import {
  primeSigningCertificate,
  type SnsEnvelope,
  stringToSign,
} from "../../src/services/events/ingest/sns-verify";
import { call, createOrg, type TestOrg } from "./api";

export const db = createDb(env.DB);

export interface EventsOrg extends TestOrg {
  tenant: Tenant;
  webhookToken: string;
}

/** A fresh organization with its tenant scope and webhook token. */
export async function eventsOrg(): Promise<EventsOrg> {
  const org = await createOrg();
  const row = await db.select().from(organizations).where(eq(organizations.id, org.id)).get();
  if (!row) throw new Error("organization missing");
  return { ...org, tenant: tenantScope(db, org.id), webhookToken: row.webhookToken };
}

/** Configure the SNS topics of the organization's SES account (as PUT /api/v1/settings/providers stores them). */
export async function setSesTopics(orgId: string, topicArns: string[]) {
  const config = JSON.stringify({ region: "us-east-2", topic_arns: topicArns });
  await db
    .insert(providerAccounts)
    .values({ organizationId: orgId, provider: "ses", config, updatedAt: now() })
    .onConflictDoUpdate({
      target: [providerAccounts.organizationId, providerAccounts.provider],
      set: { config },
    });
}

export async function seedContact(
  tenant: Tenant,
  email: string,
  extra: { first_name?: string; last_name?: string } = {},
) {
  return createContact(tenant, { email, ...extra });
}

/** A message as the SEND consumer records it. */
export async function seedMessage(
  tenant: Tenant,
  m: {
    contactId: string | null;
    provider?: string;
    externalId?: string;
    subject?: string;
    scenarioId?: string;
    stepOrder?: number;
    variantName?: string;
    deliveredAt?: number;
    status?: "sent" | "delivered";
  },
) {
  const at = now();
  const id = newId("msg", at);
  await db.insert(messages).values({
    id,
    organizationId: tenant.orgId,
    contactId: m.contactId,
    provider: m.provider ?? "log",
    externalId: m.externalId ?? id,
    subject: m.subject ?? "Hello",
    scenarioId: m.scenarioId ?? null,
    stepOrder: m.stepOrder ?? null,
    variantName: m.variantName ?? null,
    status: m.status ?? "sent",
    sentAt: at,
    deliveredAt: m.deliveredAt ?? null,
    createdAt: at,
    updatedAt: at,
  });
  return id;
}

/**
 * A scenario with one step (version 1) and variants "A" and "B", written straight to D1, and, for
 * each contact given, an active sequence. Returns the ids the tests look at.
 */
export async function seedScenario(
  tenant: Tenant,
  opts: { contactIds?: string[]; stopOnUnsubscribe?: boolean } = {},
) {
  const at = now();
  const scenarioId = newId("sc", at);
  const stepId = newId("st", at);
  await db.batch([
    db.insert(scenarios).values({
      id: scenarioId,
      organizationId: tenant.orgId,
      name: "Journey",
      status: "active",
      fromEmail: "team@example.com",
      stopOnUnsubscribe: opts.stopOnUnsubscribe ?? true,
      stepsVersion: 1,
      createdAt: at,
      updatedAt: at,
    }),
    db.insert(scenarioSteps).values({
      id: stepId,
      organizationId: tenant.orgId,
      scenarioId,
      version: 1,
      stepOrder: 1,
      name: "Welcome",
      trigger: "entry",
      templateId: "tpl_x",
    }),
    db.insert(stepVariants).values([
      {
        id: newId("sv", at),
        organizationId: tenant.orgId,
        stepId,
        name: "A",
        templateId: "tpl_x",
        weight: 1,
        sent: 1,
      },
      {
        id: newId("sv", at),
        organizationId: tenant.orgId,
        stepId,
        name: "B",
        templateId: "tpl_x",
        weight: 1,
        sent: 1,
      },
    ]),
  ]);
  for (const contactId of opts.contactIds ?? []) {
    await db.insert(contactSequences).values({
      id: newId("cs", at),
      organizationId: tenant.orgId,
      scenarioId,
      contactId,
      stepsVersion: 1,
      status: "active",
      currentStepOrder: 1,
      nextRunAt: at + 86_400_000,
      createdAt: at,
      updatedAt: at,
    });
  }
  return { scenarioId, stepId };
}

export const variantsOf = (stepId: string) =>
  db.select().from(stepVariants).where(eq(stepVariants.stepId, stepId)).all();
export const sequencesOf = (contactId: string) =>
  db.select().from(contactSequences).where(eq(contactSequences.contactId, contactId)).all();

export const getMessage = async (id: string) => db.select().from(messages).where(eq(messages.id, id)).get();
export const getContactRow = async (id: string) =>
  db.select().from(contacts).where(eq(contacts.id, id)).get();
export const eventRows = (orgId: string) =>
  db.select().from(events).where(eq(events.organizationId, orgId)).all();

/**
 * Run the EVENTS consumer over every stored, unprocessed event, the way the queue would, until none
 * is left or a round makes no progress. (Miniflare may also deliver the same messages in the
 * background: applying an event is idempotent, so whichever runs first wins and the other is a no-op.)
 */
export async function drainEvents(rounds = 5) {
  const results = [];
  for (let round = 1; round <= rounds; round++) {
    const pending = await db
      .select({ id: events.id, org: events.organizationId })
      .from(events)
      .where(isNull(events.processedAt))
      .all();
    if (!pending.length) break;
    const batch = createMessageBatch<EventMessage>(
      "edge-mail-events",
      pending.map((p, i) => ({
        id: `m${round}-${i}`,
        timestamp: new Date(now()),
        attempts: round,
        body: { event_id: p.id, organization_id: p.org },
      })),
    );
    const ctx = createExecutionContext();
    await consumeEvents(batch as MessageBatch<unknown>, env);
    results.push(await getQueueResult(batch, ctx));
  }
  return results;
}

const TEST_CERT_URL =
  "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem";

const b64 = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf)));

/**
 * An SNS signer with a key pair made for the test: its public key is put in the certificate cache
 * under an SNS certificate URL, so the Worker verifies these messages exactly as it verifies AWS's.
 */
export async function createSnsSigner(certUrl = TEST_CERT_URL) {
  const algorithm = {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
  };
  const pair = (await crypto.subtle.generateKey({ ...algorithm, hash: "SHA-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const spki = (await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer;
  const pkcs8 = (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer;
  const sha1 = await crypto.subtle.importKey("pkcs8", pkcs8, { name: algorithm.name, hash: "SHA-1" }, false, [
    "sign",
  ]);
  primeSigningCertificate(certUrl, { spki });
  return {
    certUrl,
    /** The JSON body SNS would post, signed with SignatureVersion 2 (SHA-256) or 1 (SHA-1). */
    async sign(
      fields: Omit<SnsEnvelope, "Signature" | "SignatureVersion" | "SigningCertURL"> & Partial<SnsEnvelope>,
      version: "1" | "2" = "2",
    ) {
      const envelope: Omit<SnsEnvelope, "Signature"> = {
        SignatureVersion: version,
        SigningCertURL: certUrl,
        ...fields,
      };
      const key = version === "1" ? sha1 : pair.privateKey;
      const signature = await crypto.subtle.sign(
        algorithm.name,
        key,
        new TextEncoder().encode(stringToSign({ ...envelope, Signature: "" })),
      );
      return JSON.stringify({ ...envelope, Signature: b64(signature) });
    },
  };
}

export const TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events";

/** An SNS Notification carrying an SES event (the fixture text goes in `Message` as SNS sends it). */
export function sesNotification(message: string, overrides: Partial<SnsEnvelope> = {}) {
  return {
    Type: "Notification",
    MessageId: crypto.randomUUID(),
    TopicArn: TOPIC,
    Message: message,
    Timestamp: new Date(now()).toISOString(),
    ...overrides,
  };
}

/** POST a body to an organization's webhook, as SNS (text/plain) or Brevo (JSON) would. */
export function postWebhook(
  kind: "ses" | "brevo",
  token: string,
  body: string,
  headers: Record<string, string> = {},
) {
  const contentType = kind === "ses" ? "text/plain; charset=UTF-8" : "application/json";
  return call(`/webhooks/${kind}/${token}`, { method: "POST", raw: body, contentType, headers });
}
