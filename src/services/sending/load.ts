import { eq } from "drizzle-orm";
import { contacts, operationLedger, providerAccounts, scenarios, templates } from "../../db/schema";
import { parseJson } from "../../lib/json";
import { scoped, type Tenant } from "../../lib/tenant";
import type { ProviderName } from "../../providers/types";
import { type ContactRow, isSuppressed } from "../contacts";
import type { SendPayload } from "../ledger";
import { templateContext } from "../templates";

export type LedgerRow = typeof operationLedger.$inferSelect;

/** One send, resolved from its ledger row: who, from whom, through which provider, what content. */
export interface SendJob {
  ledger: LedgerRow;
  payload: SendPayload;
  contact: ContactRow | null;
  provider: ProviderName;
  to: string;
  from: { email: string; name: string | null };
  replyTo: string | null;
  transactional: boolean;
  includeUnsubscribe: boolean;
  content: { subject: string; html: string; text: string | null };
  context: Record<string, unknown>;
}

/** `skipped` never reaches a provider (suppressed, unsubscribed, erased); `failed` cannot be sent as asked. */
export type LoadResult =
  | { ok: true; job: SendJob }
  | { ok: false; status: "skipped" | "failed"; reason: string };

const PROVIDERS: readonly ProviderName[] = ["log", "ses", "brevo"];

/**
 * Resolve a claimed ledger row. Scenario sends take sender, provider and unsubscribe setting from
 * the scenario and content from `template_id`; rule sends and reminders say it in the payload
 * (to_email, from_email, from_name, provider, literal subject/html/text, transactional).
 * Without a from_email the mail goes from `defaults.fromEmail` (noreply@ the public host); without a
 * provider, through the organization's configured one (SES, then Brevo), else the log provider.
 * Marketing mail is checked against the contact's status and the suppression list here, at send
 * time, whatever was checked at enrollment.
 */
export async function loadSendJob(
  tenant: Tenant,
  ledger: LedgerRow,
  defaults: { fromEmail: string },
): Promise<LoadResult> {
  const payload = parseJson<SendPayload>(ledger.payload, {});
  const transactional = payload.transactional === true;
  const [contact, scenario, template] = await Promise.all([
    ledger.contactId
      ? tenant.db
          .select()
          .from(contacts)
          .where(scoped(tenant, contacts, eq(contacts.id, ledger.contactId)))
          .get()
      : undefined,
    ledger.scenarioId
      ? tenant.db
          .select()
          .from(scenarios)
          .where(scoped(tenant, scenarios, eq(scenarios.id, ledger.scenarioId)))
          .get()
      : undefined,
    ledger.templateId
      ? tenant.db
          .select()
          .from(templates)
          .where(scoped(tenant, templates, eq(templates.id, ledger.templateId)))
          .get()
      : undefined,
  ]);
  if (ledger.contactId && !contact)
    return { ok: false, status: "skipped", reason: "contact no longer exists" };
  if (ledger.scenarioId && !scenario) return { ok: false, status: "failed", reason: "scenario not found" };
  if (ledger.templateId && !template) return { ok: false, status: "failed", reason: "template not found" };

  const to = (payload.to_email ?? contact?.email ?? "").trim();
  if (!to) return { ok: false, status: "failed", reason: "no recipient address" };
  const fromEmail = (payload.from_email ?? scenario?.fromEmail ?? defaults.fromEmail).trim();
  const provider = payload.provider ?? scenario?.provider ?? (await defaultProvider(tenant));
  if (!PROVIDERS.includes(provider))
    return { ok: false, status: "failed", reason: `unknown provider ${String(provider)}` };

  const content = template
    ? { subject: template.subject, html: template.html, text: template.text }
    : payload.subject && (payload.html || payload.text)
      ? { subject: payload.subject, html: payload.html ?? "", text: payload.text ?? null }
      : null;
  if (!content)
    return {
      ok: false,
      status: "failed",
      reason: "no content: neither template_id nor payload subject and body",
    };
  if (!content.html && content.text)
    content.html = `<pre>${content.text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</pre>`;

  if (!transactional) {
    if (contact && contact.status !== "subscribed")
      return { ok: false, status: "skipped", reason: `contact is ${contact.status}` };
    if (await isSuppressed(tenant, to))
      return { ok: false, status: "skipped", reason: "address is on the suppression list" };
  }

  const scenarioName = scenario?.name ?? "";
  const context: Record<string, unknown> = contact
    ? templateContext(contact, { scenario_name: scenarioName })
    : { email: to, contact: { email: to }, scenario_name: scenarioName, unsubscribe_url: "" };
  return {
    ok: true,
    job: {
      ledger,
      payload,
      contact: contact ?? null,
      provider,
      to,
      from: { email: fromEmail, name: payload.from_name ?? scenario?.fromName ?? null },
      replyTo: payload.reply_to ?? scenario?.replyTo ?? null,
      transactional,
      includeUnsubscribe: !transactional && (scenario ? scenario.includeUnsubscribe : true),
      content,
      context,
    },
  };
}

/** The provider a send names none for: the organization's SES account, else Brevo, else log. */
async function defaultProvider(tenant: Tenant): Promise<ProviderName> {
  const rows = await tenant.db
    .select({ provider: providerAccounts.provider })
    .from(providerAccounts)
    .where(scoped(tenant, providerAccounts))
    .all();
  const have = new Set(rows.map((r) => r.provider));
  return have.has("ses") ? "ses" : have.has("brevo") ? "brevo" : "log";
}
