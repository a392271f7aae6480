/**
 * Who a campaign reaches: the distinct contacts of its segments, walked in keyset pages by contact
 * id, each either sent to or excluded under the first reason that applies, in the order of the
 * dry run's report: unsubscribed, bounced, complained, suppressed, no_consent, excluded_segment,
 * frequency_cap, no_recommendation. The dry run and the send run this same code.
 */
import { now } from "../../lib/clock";
import { parseJson } from "../../lib/json";
import type { Tenant } from "../../lib/tenant";
import { getConsentSettings, hasConsent } from "../consent/settings";
import { chooseVariant } from "../scenarios/variants";
import { anyOf, type Membership, membershipOf, toRow } from "../segments/query";
import { getSegments } from "../segments/store";
import type { CampaignRow, CampaignVariant } from "./store";
import { emailHash } from "../suppressions/store";
import type { ContactRow } from "../contacts/types";
import { tenantSql } from "../../lib/tenant-sql";

export const EXCLUSION_REASONS = [
  "unsubscribed",
  "bounced",
  "complained",
  "suppressed",
  "no_consent",
  "excluded_segment",
  "frequency_cap",
  "no_recommendation",
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/**
 * A check that later features add (frequency cap, recommendations): for a page of contacts, the
 * ids it excludes under its reason, and what a sent contact gets from it (the template to use).
 */
export interface AudienceCheck {
  reason: ExclusionReason;
  exclude(
    tenant: Tenant,
    campaign: CampaignRow,
    page: ContactRow[],
  ): Promise<Map<string, { templateId?: string; data?: unknown } | null>>;
}
const checks: AudienceCheck[] = [];
/** Set the checks, in order (src/wiring.ts does, once, at start). */
export function useAudienceChecks(list: AudienceCheck[]) {
  checks.splice(0, checks.length, ...list);
}

export interface AudiencePlan {
  campaign: CampaignRow;
  /** Membership of any include segment, its parameters numbered from ?4 (for audiencePage). */
  include: { sql: string; params: string[] };
  exclude: { sql: string; params: string[] };
  memberships: Membership[];
  consentRequired: boolean;
  variants: CampaignVariant[];
}

export interface Verdict {
  contact: ContactRow;
  /** null: the contact is sent the campaign. */
  reason: ExclusionReason | null;
  variant: CampaignVariant | null;
}

export async function audiencePlan(tenant: Tenant, campaign: CampaignRow): Promise<AudiencePlan> {
  const at = now();
  const include = await getSegments(tenant, parseJson<string[]>(campaign.segmentIds, []), "segment_ids");
  const exclude = await getSegments(
    tenant,
    parseJson<string[]>(campaign.excludeSegmentIds, []),
    "exclude_segment_ids",
  );
  const memberships = include.map((s) => membershipOf(s, at));
  const inc = anyOf(memberships, 4);
  const exc = anyOf(
    exclude.map((s) => membershipOf(s, at)),
    4 + inc.params.length,
  );
  const variants = parseJson<CampaignVariant[] | null>(campaign.variants, null) ?? [
    { name: "default", template_id: campaign.templateId ?? "", weight: 1 },
  ];
  return {
    campaign,
    include: inc,
    exclude: exc,
    memberships,
    consentRequired: (await getConsentSettings(tenant)).require_email_consent,
    variants,
  };
}

/** The audience's next page after `afterId`, each contact with its verdict. */
export async function audiencePage(
  tenant: Tenant,
  plan: AudiencePlan,
  afterId: string | null,
  limit: number,
): Promise<{ verdicts: Verdict[]; lastId: string | null; scanned: number }> {
  // `+organization_id`: walk the primary key from the cursor, a page of rows per page.
  const res = await tenantSql(
    tenant,
    `SELECT c.*, ${plan.exclude.sql} AS in_excluded FROM contacts c
       WHERE +c.organization_id = ?1 AND c.id > ?2 AND ${plan.include.sql}
       ORDER BY c.id LIMIT ?3`,
    afterId ?? "",
    limit,
    ...plan.include.params,
    ...plan.exclude.params,
  ).all<Record<string, unknown>>();
  const rows = res.results;
  const contacts = rows.map(toRow);
  const hashes = await Promise.all(contacts.map((c) => emailHash(c.emailNormalized)));
  const found = contacts.length
    ? await tenantSql(
        tenant,
        "SELECT email_hash FROM suppressions WHERE organization_id = ?1 AND email_hash IN (SELECT value FROM json_each(?2))",
        JSON.stringify(hashes),
      ).all<{ email_hash: string }>()
    : { results: [] };
  const suppressed = new Set(found.results.map((r) => r.email_hash));
  const verdicts: Verdict[] = [];
  const pending: Verdict[] = [];
  contacts.forEach((contact, i) => {
    let reason: ExclusionReason | null = null;
    if (contact.status !== "subscribed") reason = contact.status as ExclusionReason;
    else if (suppressed.has(hashes[i] as string)) reason = "suppressed";
    else if (plan.consentRequired && !hasConsent(parseJson(contact.consents, {}), "email_marketing"))
      reason = "no_consent";
    else if (rows[i]?.in_excluded) reason = "excluded_segment";
    const v: Verdict = { contact, reason, variant: null };
    verdicts.push(v);
    if (!reason) pending.push(v);
  });
  for (const check of checks) {
    const left = pending.filter((v) => v.reason === null);
    if (!left.length) break;
    const out = await check.exclude(
      tenant,
      plan.campaign,
      left.map((v) => v.contact),
    );
    for (const v of left) {
      const hit = out.get(v.contact.id);
      if (hit === null) v.reason = check.reason;
      else if (hit?.templateId)
        v.variant = {
          name: typeof hit.data === "string" ? hit.data : hit.templateId,
          template_id: hit.templateId,
          weight: 1,
        };
    }
  }
  for (const v of pending)
    if (!v.reason && !v.variant)
      v.variant = (await chooseVariant(
        plan.campaign.id,
        v.contact.id,
        0,
        plan.variants.map((x) => ({ ...x, id: x.name })),
      )) as CampaignVariant;
  const last = contacts.at(-1);
  return { verdicts, lastId: last?.id ?? null, scanned: contacts.length };
}

/** Distinct contacts of the campaign's segments (exclusions included): the audience size. */
export async function audienceSize(tenant: Tenant, plan: AudiencePlan): Promise<number> {
  const inc = anyOf(plan.memberships, 2);
  const row = await tenantSql(
    tenant,
    `SELECT count(*) AS n FROM contacts c WHERE c.organization_id = ?1 AND ${inc.sql}`,
    ...inc.params,
  ).first<{ n: number }>();
  return row?.n ?? 0;
}
