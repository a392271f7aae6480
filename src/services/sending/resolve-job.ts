/**
 * One ledger row resolved against the rows its SEND batch read (load.ts): who, from whom, through
 * which provider, what content and variables, or why it is skipped or failed. No I/O.
 */
import type { campaigns, scenarios, templates } from "../../db/schema";
import { escapeHtml } from "../../lib/html";
import { parseJson } from "../../lib/json";
import type { ProviderName } from "../../providers/types";
import { CAMPAIGN_CANCELLED, CAMPAIGN_PAUSED } from "../campaigns/constants";
import { hasConsent } from "../consent/settings";
import type { ContactRow } from "../contacts/types";
import type { LedgerRow, SendPayload } from "../ledger/types";
import { WITHDRAWN_PAUSED, WITHDRAWN_STOPPED } from "../scenarios/engine/ports";
import type { Utm } from "../scenarios/store";
import { templateContext } from "../templates/store";

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

type ScenarioRow = typeof scenarios.$inferSelect;
type TemplateRow = typeof templates.$inferSelect;
type CampaignRow = typeof campaigns.$inferSelect;

/** One ledger row against the rows read for the batch (no I/O). */
export function resolveJob(
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
