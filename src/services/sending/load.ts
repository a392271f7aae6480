import { and, inArray, sql } from "drizzle-orm";
import { campaigns, contacts, providerAccounts, scenarios, suppressions, templates } from "../../db/schema";
import { parseJson } from "../../lib/json";
import { CAMPAIGN_CANCELLED, CAMPAIGN_PAUSED } from "../campaigns/constants";
import { recommendationVariables, usesRecommendations } from "../recommendations/variables";
import { consentFrom, hasConsent } from "../consent/settings";
import type { Utm } from "../scenarios/store";
import { scoped, type Tenant } from "../../lib/tenant";
import type { ProviderName } from "../../providers/types";
import { WITHDRAWN_PAUSED, WITHDRAWN_STOPPED } from "../scenarios/engine/ports";
import { frequencyGate } from "../deliverability/frequency";
import { repliesFrom } from "../replies/settings";
import { deliverabilityFrom } from "../deliverability/settings";
import { getOrganization } from "../organizations/store";
import { replyAddress } from "../replies/token";
import { templateContext } from "../templates/store";
import { type LedgerRow, messageIdFor, type SendPayload } from "../ledger/types";
import { emailHash } from "../suppressions/store";
import type { ContactRow } from "../contacts/types";
import { escapeHtml } from "../../lib/html";
import { translationId } from "../templates/translations";
import { hasVisibility } from "../designs/visibility";
import { applyVisibility } from "../designs/visibility-send";
import { attachSnippets } from "../templates/snippets";

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
  content: { subject: string; html: string; text: string | null; snippets?: Record<string, string> };
  context: Record<string, unknown>;
  /** UTM parameters for tracked links (campaign or scenario), and whether opens and clicks are tracked. */
  utm: Utm | null;
  trackOpens: boolean;
  trackClicks: boolean;
}

/** `skipped` never reaches a provider (suppressed, unsubscribed, erased); `failed` cannot be sent as asked. */
export type LoadResult =
  | { ok: true; job: SendJob }
  | { ok: false; status: "skipped" | "failed"; reason: string };

const PROVIDERS: readonly ProviderName[] = ["log", "ses", "brevo"];
/** D1 binds at most 100 parameters per statement. */
const IN_CHUNK = 90;

const unique = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];
const chunks = <T>(xs: T[]) =>
  Array.from({ length: Math.ceil(xs.length / IN_CHUNK) }, (_, i) =>
    xs.slice(i * IN_CHUNK, (i + 1) * IN_CHUNK),
  );

/** Rows of `table` whose id is in `ids`, in one D1 batch of IN-lists (tenant-scoped). */
async function byIds<T extends typeof contacts | typeof scenarios | typeof templates | typeof campaigns>(
  tenant: Tenant,
  table: T,
  ids: string[],
): Promise<Map<string, T["$inferSelect"]>> {
  const out = new Map<string, T["$inferSelect"]>();
  for (const part of chunks(ids)) {
    const rows = (await tenant.db
      .select()
      .from(table as typeof contacts)
      // `+organization_id`: look the ids up on the primary key, not an organization index.
      .where(and(sql`+${table.organizationId} = ${tenant.orgId}`, inArray(table.id, part)))
      .all()) as T["$inferSelect"][];
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/**
 * Resolve the claimed ledger rows of one organization in a few queries for the whole batch: the
 * contacts, scenarios and templates they name (one query each), the configured providers, then
 * the suppression list for every recipient address (one query). Scenario sends take sender,
 * provider and unsubscribe setting from the scenario and content from `template_id`; rule sends
 * and reminders say it in the payload (to_email, from_email, from_name, provider, literal
 * subject/html/text, transactional). Without a from_email the mail goes from `defaults.fromEmail`
 * (noreply@ the public host); without a provider, through the organization's configured one (SES,
 * then Brevo), else the log provider. Every send to a contact is checked against the suppression
 * list here, at send time, whatever was checked before; marketing mail also against the contact's
 * status, consent and the frequency cap.
 */
export async function loadSendJobs(
  tenant: Tenant,
  ledgers: LedgerRow[],
  defaults: { fromEmail: string; signingKey?: string },
): Promise<Map<string, LoadResult>> {
  const [contactRows, scenarioRows, templateRows, campaignRows, accounts, org] = await Promise.all([
    byIds(tenant, contacts, unique(ledgers.map((l) => l.contactId))),
    byIds(tenant, scenarios, unique(ledgers.map((l) => l.scenarioId))),
    byIds(tenant, templates, unique(ledgers.map((l) => l.templateId))),
    byIds(tenant, campaigns, unique(ledgers.map((l) => l.campaignId))),
    tenant.db
      .select({ provider: providerAccounts.provider })
      .from(providerAccounts)
      .where(scoped(tenant, providerAccounts))
      .all(),
    // One read of the organization row for every settings section the batch needs.
    getOrganization(tenant),
  ]);
  // A contact whose locale a template translates gets the translation (one more query, only then).
  const contactOf = (l: LedgerRow) => (l.contactId ? contactRows.get(l.contactId) : undefined);
  const translated = (l: LedgerRow) =>
    translationId(l.templateId ? templateRows.get(l.templateId) : undefined, contactOf(l)?.locale);
  const missing = unique(ledgers.map(translated)).filter((id) => !templateRows.has(id));
  for (const [id, row] of await byIds(tenant, templates, missing)) templateRows.set(id, row);
  const consent = consentFrom(org);
  const replies = repliesFrom(org);
  const have = new Set(accounts.map((r) => r.provider));
  const fallbackProvider: ProviderName = have.has("ses") ? "ses" : have.has("brevo") ? "brevo" : "log";

  const out = new Map<string, LoadResult>();
  const pending: { ledger: LedgerRow; job: SendJob; hash: string; payload: SendPayload }[] = [];
  const conditional: Parameters<typeof applyVisibility>[1] = [];
  for (const ledger of ledgers) {
    const template =
      templateRows.get(translated(ledger) ?? "") ??
      (ledger.templateId ? templateRows.get(ledger.templateId) : undefined);
    const res = resolve(ledger, {
      contact: contactOf(ledger),
      scenario: ledger.scenarioId ? scenarioRows.get(ledger.scenarioId) : undefined,
      template,
      campaign: ledger.campaignId ? campaignRows.get(ledger.campaignId) : undefined,
      fromEmail: defaults.fromEmail,
      fallbackProvider,
      consentRequired: consent.require_email_consent,
    });
    if (
      res.ok &&
      res.job.contact &&
      usesRecommendations(res.job.content.subject, res.job.content.html, res.job.content.text)
    )
      Object.assign(res.job.context, await recommendationVariables(tenant, res.job.contact));
    if (res.ok && res.job.contact && template?.design && hasVisibility(template.design))
      conditional.push({ design: template.design, contactId: res.job.contact.id, context: res.job.context });
    // With an inbound domain, a contact's reply comes back to the Worker's email() handler.
    if (res.ok && res.job.contact && replies.inbound_domain && defaults.signingKey) {
      const address = await replyAddress(
        defaults.signingKey,
        tenant.orgId,
        messageIdFor(ledger.id),
        replies.inbound_domain,
      );
      if (address) res.job.replyTo = address;
    }
    // Every send to a contact, transactional too, goes through the suppression list; the platform's
    // own mail to a team member (a reminder, a sign-in link: to_email without a contact) does not.
    if (!res.ok || (res.job.transactional && !res.job.contact)) out.set(ledger.id, res);
    else pending.push({ ledger, job: res.job, hash: await emailHash(res.job.to), payload: res.job.payload });
  }
  await applyVisibility(tenant, conditional);
  await attachSnippets(
    tenant,
    pending.map((p) => p.job.content),
  );
  const suppressedFor = new Map<string, string>();
  for (const part of chunks(unique(pending.map((p) => p.hash)))) {
    const rows = await tenant.db
      .select({ hash: suppressions.emailHash, reason: suppressions.reason })
      .from(suppressions)
      .where(scoped(tenant, suppressions, inArray(suppressions.emailHash, part)))
      .all();
    for (const r of rows) suppressedFor.set(r.hash, r.reason);
  }
  // A double opt-in confirmation goes to an address that unsubscribed before (the person asked
  // again, and the confirmation lifts it); never to one that bounced or complained.
  const suppressed = new Set(
    pending
      .filter((p) => {
        const reason = suppressedFor.get(p.hash);
        return (
          reason !== undefined &&
          !(p.payload.opt_in_confirmation && (reason === "unsubscribed" || reason === "erased"))
        );
      })
      .map((p) => p.hash),
  );
  // The frequency cap is for marketing mail only.
  const gate = await frequencyGate(
    tenant,
    deliverabilityFrom(org).frequency_cap,
    pending.flatMap((p) => (p.job.contact && !p.job.transactional ? [p.job.contact.id] : [])),
  );
  for (const p of pending) {
    const capped =
      !suppressed.has(p.hash) && gate && p.job.contact && !p.job.transactional
        ? gate(p.job.contact.id)
        : null;
    out.set(
      p.ledger.id,
      suppressed.has(p.hash)
        ? { ok: false, status: "skipped", reason: "address is on the suppression list" }
        : capped
          ? { ok: false, status: "skipped", reason: capped }
          : { ok: true, job: p.job },
    );
  }
  return out;
}

type ScenarioRow = typeof scenarios.$inferSelect;
type TemplateRow = typeof templates.$inferSelect;
type CampaignRow = typeof campaigns.$inferSelect;

/** One ledger row against the rows read for the batch (no I/O). */
function resolve(
  ledger: LedgerRow,
  found: {
    contact: ContactRow | undefined;
    scenario: ScenarioRow | undefined;
    template: TemplateRow | undefined;
    campaign: CampaignRow | undefined;
    fromEmail: string;
    fallbackProvider: ProviderName;
    consentRequired: boolean;
  },
): LoadResult {
  const { contact, scenario, template, campaign } = found;
  const payload = parseJson<SendPayload>(ledger.payload, {});
  const transactional = payload.transactional === true;
  if (ledger.contactId && !contact)
    return { ok: false, status: "skipped", reason: "contact no longer exists" };
  if (ledger.scenarioId && !scenario) return { ok: false, status: "failed", reason: "scenario not found" };
  if (ledger.templateId && !template) return { ok: false, status: "failed", reason: "template not found" };
  // A scenario paused or stopped after the row was written sends nothing: the sequence plans the
  // step again on resume (the reasons are the ones the engine itself withdraws rows with).
  if (scenario?.status === "paused") return { ok: false, status: "skipped", reason: WITHDRAWN_PAUSED };
  if (scenario?.status === "stopped") return { ok: false, status: "skipped", reason: WITHDRAWN_STOPPED };
  if (ledger.campaignId && !campaign) return { ok: false, status: "failed", reason: "campaign not found" };
  // A paused campaign's sends wait (the resume sweep sends them again); a cancelled one's never go.
  if (campaign?.status === "paused") return { ok: false, status: "skipped", reason: CAMPAIGN_PAUSED };
  if (campaign?.status === "cancelled") return { ok: false, status: "skipped", reason: CAMPAIGN_CANCELLED };

  const to = (payload.to_email ?? contact?.email ?? "").trim();
  if (!to) return { ok: false, status: "failed", reason: "no recipient address" };
  const fromEmail = (
    payload.from_email ??
    campaign?.fromEmail ??
    scenario?.fromEmail ??
    found.fromEmail
  ).trim();
  const provider = payload.provider ?? campaign?.provider ?? scenario?.provider ?? found.fallbackProvider;
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
  if (!content.html && content.text) content.html = `<pre>${escapeHtml(content.text)}</pre>`;

  if (!transactional && contact && contact.status !== "subscribed")
    return { ok: false, status: "skipped", reason: `contact is ${contact.status}` };
  if (
    !transactional &&
    contact &&
    found.consentRequired &&
    !hasConsent(parseJson(contact.consents, {}), "email_marketing")
  )
    return { ok: false, status: "skipped", reason: "INSUFFICIENT_CONSENT" };

  const scenarioName = scenario?.name ?? "";
  const context: Record<string, unknown> = contact
    ? templateContext(contact, { scenario_name: scenarioName })
    : { email: to, contact: { email: to }, scenario_name: scenarioName, unsubscribe_url: "" };
  if (campaign) context.campaign_name = campaign.name;
  if (payload.variables) Object.assign(context, payload.variables);
  return {
    ok: true,
    job: {
      ledger,
      payload,
      contact: contact ?? null,
      provider,
      to,
      from: { email: fromEmail, name: payload.from_name ?? campaign?.fromName ?? scenario?.fromName ?? null },
      replyTo: payload.reply_to ?? campaign?.replyTo ?? scenario?.replyTo ?? null,
      transactional,
      includeUnsubscribe: !transactional && (scenario ? scenario.includeUnsubscribe : true),
      content,
      context,
      utm: parseJson<Utm | null>(campaign?.utm ?? scenario?.utm, null),
      trackOpens: campaign ? campaign.trackOpens : true,
      trackClicks: campaign ? campaign.trackClicks : true,
    },
  };
}
