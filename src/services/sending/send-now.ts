/**
 * POST /api/v1/send: one email now, to an address, from a template (with `data.*` for Liquid) or
 * inline content, through the same SEND pipeline, ledger, tracking and events as every other send.
 * Transactional by default: no marketing consent, no frequency cap, no List-Unsubscribe, but never
 * to a suppressed address. An idempotency_key makes one send for 24 hours, also under concurrent
 * identical requests: one D1 batch claims the key and writes the ledger row.
 */
import { eq } from "drizzle-orm";
import type { SendMessage } from "../../contracts/queue-messages";
import { templates } from "../../db/schema";
import { now } from "../../lib/clock";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { scoped, type Tenant } from "../../lib/tenant";
import { tenantBatch, tenantSql } from "../../lib/tenant-sql";
import { normalizeEmail } from "../../lib/validation";
import type { ProviderName } from "../../providers/types";
import { afterContactCreated } from "../contacts/changes";
import { createContact, findContactByEmail } from "../contacts/store";
import { assertSendingDomain } from "../domains/enforce";
import { idempotencyKey } from "../ledger/create";
import { messageIdFor, type SendPayload } from "../ledger/types";
import { evaluateContactCreated } from "../rules/subscriber";
import { ruleDeps } from "../rules/deps";
import { isSuppressed } from "../suppressions/store";

export interface SendNowInput {
  to: string | { email: string; name?: string };
  template_id?: string;
  subject?: string;
  html?: string;
  text?: string;
  data?: Record<string, unknown>;
  from_email?: string;
  from_name?: string;
  reply_to?: string;
  provider?: ProviderName;
  tags?: string[];
  idempotency_key?: string;
  transactional?: boolean;
}

const DAY_MS = 86_400_000;

/** The contact of the address: found, or created (and then it meets the rules and journeys). */
async function contactOf(env: Env, tenant: Tenant, email: string, name: string | undefined) {
  const found = await findContactByEmail(tenant, email);
  if (found) return found;
  try {
    const row = await createContact(tenant, { email, first_name: name?.slice(0, 200) || undefined });
    await afterContactCreated(env, tenant, row);
    await evaluateContactCreated(ruleDeps(env, tenant), row);
    return row;
  } catch (e) {
    // A concurrent request created it first.
    if (e instanceof ApiError && e.code === "CONTACT_EXISTS") {
      const again = await findContactByEmail(tenant, email);
      if (again) return again;
    }
    throw e;
  }
}

export async function sendNow(
  env: Env,
  tenant: Tenant,
  input: SendNowInput,
  defaults: { fromEmail: string },
): Promise<{ message_id: string; duplicate: boolean }> {
  const to = typeof input.to === "string" ? { email: input.to } : input.to;
  const email = normalizeEmail(to.email);
  const at = now();
  // A repeated request answers the first one's message, before anything else is looked at.
  if (input.idempotency_key) {
    const prior = await tenantSql(
      tenant,
      "SELECT ledger_id FROM send_requests WHERE organization_id = ?1 AND idempotency_key = ?2 AND created_at >= ?3",
      input.idempotency_key,
      at - DAY_MS,
    ).first<{ ledger_id: string }>();
    if (prior) return { message_id: messageIdFor(prior.ledger_id), duplicate: true };
  }
  if (await isSuppressed(tenant, email))
    throw new ApiError("SUPPRESSED", "the address is on the suppression list", [
      { field: "to", message: "suppressed: remove it with DELETE /api/v1/suppressions/{email} first" },
    ]);
  if (input.template_id) {
    const t = await tenant.db
      .select({ id: templates.id })
      .from(templates)
      .where(scoped(tenant, templates, eq(templates.id, input.template_id)))
      .get();
    if (!t)
      throw new ApiError("TEMPLATE_NOT_FOUND", `template ${input.template_id} not found`, [
        { field: "template_id", message: "no such template in this organization" },
      ]);
  }
  await assertSendingDomain(tenant, input.from_email ?? defaults.fromEmail);
  const contact = await contactOf(env, tenant, to.email, to.name);
  const payload: SendPayload = {
    transactional: input.transactional !== false,
    ...(input.from_email ? { from_email: input.from_email } : {}),
    ...(input.from_name ? { from_name: input.from_name } : {}),
    ...(input.reply_to ? { reply_to: input.reply_to } : {}),
    ...(input.provider ? { provider: input.provider } : {}),
    ...(input.template_id ? {} : { subject: input.subject, html: input.html ?? "", text: input.text }),
    ...(input.data ? { variables: { data: input.data } } : {}),
    ...(input.tags?.length ? { tags: input.tags } : {}),
    source: { api: "send" },
  };
  const ledgerId = newId("op", at);
  const key = await idempotencyKey([tenant.orgId, "send", ledgerId]);
  const ledgerInsert = (guard: string) =>
    tenantSql(
      tenant,
      `INSERT INTO operation_ledger (id, organization_id, idempotency_key, kind, contact_id, template_id, payload, created_at, updated_at)
       SELECT ?2, ?1, ?3, 'send', ?4, ?5, ?6, ?7, ?7 FROM (SELECT ?1 AS organization_id) WHERE organization_id = ?1 AND ${guard}`,
      ledgerId,
      key,
      contact.id,
      input.template_id ?? null,
      JSON.stringify(payload),
      at,
      input.idempotency_key ?? "",
    );
  let winner = ledgerId;
  if (input.idempotency_key) {
    // One batch (a transaction): claim the key (or take over one older than 24 hours), write the
    // ledger row only when this request holds the key, and read who holds it.
    const [, , holder] = await tenantBatch<{ ledger_id: string }>(tenant, [
      tenantSql(
        tenant,
        `INSERT INTO send_requests (organization_id, idempotency_key, ledger_id, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (organization_id, idempotency_key) DO UPDATE SET ledger_id = excluded.ledger_id, created_at = excluded.created_at
         WHERE send_requests.organization_id = ?1 AND send_requests.created_at < ?5`,
        input.idempotency_key,
        ledgerId,
        at,
        at - DAY_MS,
      ),
      ledgerInsert(
        "(SELECT ledger_id FROM send_requests WHERE organization_id = ?1 AND idempotency_key = ?8) = ?2",
      ),
      tenantSql(
        tenant,
        "SELECT ledger_id FROM send_requests WHERE organization_id = ?1 AND idempotency_key = ?2",
        input.idempotency_key,
      ),
    ]);
    winner = holder?.results[0]?.ledger_id ?? ledgerId;
  } else await ledgerInsert("?8 = ''").run();
  if (winner !== ledgerId) return { message_id: messageIdFor(winner), duplicate: true };
  const body: SendMessage = { ledger_id: ledgerId, organization_id: tenant.orgId };
  await env.SEND_QUEUE.send(body);
  return { message_id: messageIdFor(ledgerId), duplicate: false };
}
