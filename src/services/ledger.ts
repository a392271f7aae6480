import { eq } from "drizzle-orm";
import type { SendMessage } from "../contracts/queue-messages";
import { operationLedger } from "../db/schema";
import { now } from "../lib/clock";
import { sha256Hex } from "../lib/crypto";
import { newId } from "../lib/ids";
import { scoped, type Tenant } from "../lib/tenant";

/**
 * What a send needs beyond the ledger columns. Scenario sends take everything from the scenario;
 * other producers (rules, reminders) say it here.
 */
export interface SendPayload {
  /** Send to this address instead of the contact's (a reminder to a team member). */
  to_email?: string;
  from_email?: string;
  from_name?: string;
  reply_to?: string;
  provider?: "log" | "ses" | "brevo";
  /** Literal content when there is no template. Rendered with Liquid like a template. */
  subject?: string;
  html?: string;
  text?: string;
  /** Transactional mail (a reminder) carries no unsubscribe headers and skips the suppression check. */
  transactional?: boolean;
  /** Extra Liquid variables for the content ({{ confirm_url }} of a double opt-in email). */
  variables?: Record<string, string>;
  /** Who asked for it, for the record: {"rule_id": ...}, {"interaction_id": ...}. */
  source?: Record<string, string>;
}

export interface SendOperationInput {
  /** Parts hashed into the idempotency key, e.g. [org, scenario, step, contact, scope]. */
  keyParts: (string | number | null)[];
  contactId: string | null;
  templateId?: string | null;
  scenarioId?: string | null;
  stepOrder?: number | null;
  variantName?: string | null;
  payload?: SendPayload;
}

/** SHA-256 of the parts: the ledger's idempotency key. */
export const idempotencyKey = (parts: (string | number | null)[]) =>
  sha256Hex(parts.map((p) => String(p ?? "")).join("\u001f"));

/**
 * Write the ledger row (a second insert with the same key does nothing) and enqueue it on SEND.
 * A row that already exists and is still pending is enqueued again: the consumer's claim makes a
 * duplicate message harmless, and a row whose first enqueue was lost gets sent.
 */
export async function createSendOperation(
  tenant: Tenant,
  queue: Queue,
  input: SendOperationInput,
  delaySeconds = 0,
) {
  const key = await idempotencyKey(input.keyParts);
  const at = now();
  const inserted = await tenant.db
    .insert(operationLedger)
    .values({
      id: newId("op", at),
      organizationId: tenant.orgId,
      idempotencyKey: key,
      kind: "send",
      scenarioId: input.scenarioId ?? null,
      stepOrder: input.stepOrder ?? null,
      contactId: input.contactId,
      variantName: input.variantName ?? null,
      templateId: input.templateId ?? null,
      payload: JSON.stringify(input.payload ?? {}),
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: operationLedger.id, status: operationLedger.status });
  const row =
    inserted[0] ??
    (await tenant.db
      .select({ id: operationLedger.id, status: operationLedger.status })
      .from(operationLedger)
      .where(scoped(tenant, operationLedger, eq(operationLedger.idempotencyKey, key)))
      .get());
  if (!row) throw new Error("ledger row vanished after insert");
  if (row.status === "pending") {
    const body: SendMessage = { ledger_id: row.id, organization_id: tenant.orgId };
    await queue.send(body, delaySeconds > 0 ? { delaySeconds: Math.min(delaySeconds, 43_200) } : undefined);
  }
  return { ledgerId: row.id, created: inserted.length > 0, status: row.status };
}
