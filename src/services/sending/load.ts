import { and, inArray, sql } from "drizzle-orm";
import { campaigns, contacts, providerAccounts, scenarios, suppressions, templates } from "../../db/schema";
import { recommendationVariables, usesRecommendations } from "../recommendations/variables";
import { consentFrom } from "../consent/settings";
import { scoped, type Tenant } from "../../lib/tenant";
import type { ProviderName } from "../../providers/types";
import { frequencyGate } from "../deliverability/frequency";
import { repliesFrom } from "../replies/settings";
import { deliverabilityFrom } from "../deliverability/settings";
import { getOrganization } from "../organizations/store";
import { replyAddress } from "../replies/token";
import { type LedgerRow, messageIdFor, type SendPayload } from "../ledger/types";
import { emailHash } from "../suppressions/store";
import { translationId } from "../templates/translations";
import { hasVisibility } from "../designs/visibility";
import { applyVisibility } from "../designs/visibility-send";
import { attachSnippets } from "../templates/snippets";
import { type LoadResult, resolveJob, type SendJob } from "./resolve-job";
import { chunks } from "../../lib/chunks";

export type { LoadResult, SendJob };

const unique = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

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
    const res = resolveJob(ledger, {
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
