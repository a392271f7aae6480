import { systemSender } from "../../config";
import { parseJson } from "../../lib/json";
import { getConsentSettings, hasConsent } from "../consent/settings";
import { sequencesOfContact } from "../scenarios/sequence-keys";
import { and, eq } from "drizzle-orm";
import { sequenceName } from "../../contracts/sequence";
import type { EnrollMessage } from "../../contracts/queue-messages";
import { contactSequences, providerAccounts, scenarios } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { scoped } from "../../lib/tenant";
import { createInteraction } from "../interactions/store";
import { createSendOperation } from "../ledger/create";
import { textLiquid } from "../templates/liquid";
import { resolveProviderAccount } from "../settings/provider-accounts";
import { normalizePhone, sendBrevoSms } from "../../providers/sms-brevo";
import { sendWebhook } from "../../providers/outbound-webhook";
import { templateContext } from "../templates/store";
import type { RuleAction } from "./definitions";
import type { ActionOutcome, RuleDeps, RuleEvent } from "./types";
import type { ContactRow } from "../contacts/types";
import { contactView } from "../contacts/view";

/** Everything an action runs with. */
export interface ActionContext {
  deps: RuleDeps;
  rule: { id: string; name: string };
  event: RuleEvent;
  index: number;
  contact: ContactRow;
}

type Of<T extends RuleAction["type"]> = Extract<RuleAction, { type: T }>;

/** Liquid over the contact's fields plus `event.*` (the event's properties); the source itself if it fails. */
async function render(source: string, ctx: ActionContext): Promise<string> {
  try {
    return await textLiquid.parseAndRender(source, {
      ...templateContext(ctx.contact),
      event: ctx.event.properties,
    });
  } catch {
    return source;
  }
}

/** create_task / schedule_call: an inbox interaction due `due_in_minutes` after the action runs. */
export async function createTask(
  ctx: ActionContext,
  a: Of<"create_task"> | Of<"schedule_call">,
): Promise<ActionOutcome> {
  const { config } = a;
  try {
    const row = await createInteraction(ctx.deps.tenant, {
      type: a.type === "schedule_call" ? "call" : "task",
      title: (await render(config.title, ctx)).slice(0, 200),
      body: config.body ? await render(config.body, ctx) : null,
      contact_id: ctx.contact.id,
      assignee_id: config.assignee_id ?? null,
      next_action_at: now() + (config.due_in_minutes ?? 0) * 60_000,
      rule_id: ctx.rule.id,
    });
    return { status: "executed", detail: `interaction ${row.id} due ${iso(row.nextActionAt)}` };
  } catch (e) {
    // A team member or contact deleted since the rule was written: final, not worth retrying.
    if (e instanceof ApiError) return { status: "failed", reason: e.message };
    throw e;
  }
}

/** The organization's sending provider when the action does not name one: SES, then Brevo, then log. */
async function defaultProvider(ctx: ActionContext): Promise<"ses" | "brevo" | "log"> {
  const rows = await ctx.deps.tenant.db
    .select({ provider: providerAccounts.provider })
    .from(providerAccounts)
    .where(scoped(ctx.deps.tenant, providerAccounts))
    .all();
  const have = new Set(rows.map((r) => r.provider));
  return have.has("ses") ? "ses" : have.has("brevo") ? "brevo" : "log";
}

/**
 * send_email: a ledger row keyed by (org, "rule", rule, event, action), enqueued on SEND. The key
 * makes it idempotent per (rule, event): a redelivered event finds the row and sends nothing more.
 * Without from_email the mail goes from the platform's sender (SYSTEM_FROM_EMAIL, else noreply@ the public host).
 */
export async function sendEmail(ctx: ActionContext, a: Of<"send_email">): Promise<ActionOutcome> {
  if (ctx.contact.status !== "subscribed")
    return { status: "skipped", reason: `contact is ${ctx.contact.status}` };
  const { config } = a;
  const { tenant } = ctx.deps;
  const op = await createSendOperation(tenant, ctx.deps.sendQueue, {
    keyParts: [tenant.orgId, "rule", ctx.rule.id, ctx.event.id, ctx.index],
    contactId: ctx.contact.id,
    templateId: config.template_id ?? null,
    payload: {
      from_email:
        config.from_email ??
        ctx.deps.systemFromEmail ??
        systemSender({ SYSTEM_FROM_EMAIL: "", PUBLIC_BASE_URL: ctx.deps.publicBaseUrl }),
      ...(config.from_name ? { from_name: config.from_name } : {}),
      ...(config.reply_to ? { reply_to: config.reply_to } : {}),
      provider: config.provider ?? (await defaultProvider(ctx)),
      ...(config.template_id ? {} : { subject: config.subject, html: config.html, text: config.text }),
      source: { rule_id: ctx.rule.id, event_id: ctx.event.id },
    },
  });
  return {
    status: "executed",
    detail: `ledger ${op.ledgerId} ${op.created ? "queued" : `already ${op.status}`}`,
  };
}

/** enroll_in_scenario: the ENROLL queue's single-contact form; its consumer checks eligibility and dedupes. */
export async function enrollInScenario(
  ctx: ActionContext,
  a: Of<"enroll_in_scenario">,
): Promise<ActionOutcome> {
  const { tenant } = ctx.deps;
  const scenarioId = a.config.scenario_id;
  const [scenario, existing] = await Promise.all([
    tenant.db
      .select({ status: scenarios.status })
      .from(scenarios)
      .where(scoped(tenant, scenarios, eq(scenarios.id, scenarioId)))
      .get(),
    tenant.db
      .select({ status: contactSequences.status })
      .from(contactSequences)
      .where(
        scoped(
          tenant,
          contactSequences,
          eq(contactSequences.scenarioId, scenarioId),
          eq(contactSequences.contactId, ctx.contact.id),
        ),
      )
      .get(),
  ]);
  if (!scenario) return { status: "failed", reason: `scenario ${scenarioId} no longer exists` };
  if (scenario.status !== "active") return { status: "skipped", reason: `scenario is ${scenario.status}` };
  if (existing)
    return {
      status: "skipped",
      reason: `contact already has a ${existing.status} sequence in this scenario`,
    };
  const body: EnrollMessage = {
    scenario_id: scenarioId,
    organization_id: tenant.orgId,
    after_contact_id: null,
    contact_ids: [ctx.contact.id],
  };
  await ctx.deps.enrollQueue.send(body);
  return { status: "executed", detail: `enrollment in ${scenarioId} queued` };
}

/**
 * pause_sequences: stop the contact's active sequences (one scenario's, or all). The SequenceDO owns
 * the journey, so each is told to stop through its `stop(reason)` RPC (its pending steps are skipped
 * with the reason and the status mirrored to D1); the D1 row is stopped here first, so lists show it
 * at once even for a sequence whose object holds no state yet.
 */
export async function pauseSequences(ctx: ActionContext, a: Of<"pause_sequences">): Promise<ActionOutcome> {
  const { tenant, sequences } = ctx.deps;
  const reason = `rule:${ctx.rule.id}`;
  const stopped = await tenant.db
    .update(contactSequences)
    .set({ status: "stopped", stopReason: reason, nextRunAt: null, updatedAt: now() })
    .where(
      and(
        sequencesOfContact(tenant, ctx.contact.id),
        eq(contactSequences.status, "active"),
        a.config.scenario_id ? eq(contactSequences.scenarioId, a.config.scenario_id) : undefined,
      ),
    )
    .returning({ scenarioId: contactSequences.scenarioId });
  if (!stopped.length) return { status: "skipped", reason: "no active sequence" };
  if (sequences) {
    await Promise.all(
      stopped.map((s) =>
        sequences.get(sequences.idFromName(sequenceName(s.scenarioId, ctx.contact.id))).stop(reason),
      ),
    );
  }
  return { status: "executed", detail: `stopped ${stopped.length} sequence(s)` };
}

/**
 * trigger_webhook: a Standard Webhooks signed POST (SSRF-checked, with a timeout). The message id is
 * derived from (rule, event, action), so a retry carries the same webhook-id and receivers dedupe.
 */
export async function triggerWebhook(ctx: ActionContext, a: Of<"trigger_webhook">): Promise<ActionOutcome> {
  if (!a.config.secret) return { status: "failed", reason: "webhook has no signing secret" };
  const id = `msg_${(await sha256Hex(`${ctx.rule.id}\u001f${ctx.event.id}\u001f${ctx.index}`)).slice(0, 26)}`;
  const result = await sendWebhook({
    url: a.config.url,
    secret: a.config.secret,
    type: `rule.${ctx.event.trigger}`,
    id,
    fetch: ctx.deps.fetch,
    data: {
      rule: ctx.rule,
      event: {
        id: ctx.event.id,
        trigger: ctx.event.trigger,
        occurred_at: iso(ctx.event.occurred_at),
        properties: ctx.event.properties,
      },
      contact: contactView(ctx.contact),
    },
  });
  if (result.ok) return { status: "executed", detail: `delivered ${id} (${result.status})` };
  return result.retryable
    ? { status: "retry", reason: result.reason }
    : { status: "failed", reason: result.reason };
}

/** send_sms: Brevo transactional SMS to the contact's phone, with the organization's Brevo key. */
export async function sendSms(ctx: ActionContext, a: Of<"send_sms">): Promise<ActionOutcome> {
  if (ctx.contact.status !== "subscribed")
    return { status: "skipped", reason: `contact is ${ctx.contact.status}` };
  const recipient = ctx.contact.phone ? normalizePhone(ctx.contact.phone) : null;
  if (!recipient) return { status: "skipped", reason: "contact has no valid phone number" };
  const { require_sms_consent } = await getConsentSettings(ctx.deps.tenant);
  if (require_sms_consent && !hasConsent(parseJson(ctx.contact.consents, {}), "sms_marketing"))
    return { status: "skipped", reason: "INSUFFICIENT_CONSENT: no granted sms_marketing consent" };
  let account: Awaited<ReturnType<typeof resolveProviderAccount>>;
  try {
    account = await resolveProviderAccount(ctx.deps.tenant, ctx.deps.encryptionKey, "brevo");
  } catch {
    return { status: "failed", reason: "the Brevo API key cannot be decrypted" };
  }
  if (account?.provider !== "brevo")
    return { status: "failed", reason: "Brevo is not configured (PUT /api/v1/settings/providers)" };
  const result = await sendBrevoSms(
    {
      apiKey: account.account.apiKey,
      sender: a.config.sender,
      recipient,
      content: await render(a.config.content, ctx),
      type: a.config.sms_type ?? "transactional",
      tag: `rule:${ctx.rule.id}`,
    },
    { baseUrl: ctx.deps.brevoApiBase, fetch: ctx.deps.fetch },
  );
  if (result.ok) return { status: "executed", detail: `sms ${result.messageId}` };
  return result.retryable
    ? { status: "retry", reason: result.reason, retryAfterSeconds: result.retryAfterSeconds }
    : { status: "failed", reason: result.reason };
}
