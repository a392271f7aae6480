import { inArray } from "drizzle-orm";
import { templates } from "../../db/schema";
import { scoped, type Tenant } from "../../lib/tenant";
import { recommendationVariables } from "../recommendations/variables";
import { renderTemplate, templateContext } from "../templates/store";
import {
  audiencePage,
  audiencePlan,
  EXCLUSION_REASONS,
  type ExclusionReason,
  type Verdict,
} from "./audience";
import type { CampaignRow } from "./store";
import { withSnippets } from "../templates/snippets";

const PAGE = 500;
const SAMPLE = 5;
/** Recipients rendered to find personalization errors (the first would-send ones). */
const RENDER_CHECKS = 100;

export interface DryRun {
  audience: number;
  would_send: number;
  excluded: Record<ExclusionReason, number>;
  by_variant: Record<string, number>;
  /** Recommendation campaigns: would-send recipients per kind and per RFM segment. */
  by_kind?: Record<string, number>;
  by_segment?: Record<string, number>;
  sample: { contact_id: string; email: string; subject: string; html: string }[];
  errors: { contact_id: string; code: "PERSONALIZATION_ERROR"; message: string }[];
}

/**
 * What a send would do, sending nothing: the audience walked page by page with the send's own
 * verdicts, so audience = would_send + the sum of excluded. The first would-send recipients are
 * rendered for the sample and to find personalization errors (a template that fails for them).
 * `onPage` sees every page (the recommendation report counts kinds and segments with it).
 */
export async function dryRun(
  tenant: Tenant,
  campaign: CampaignRow,
  onPage?: (verdicts: Verdict[]) => void | Promise<void>,
): Promise<DryRun> {
  const plan = await audiencePlan(tenant, campaign);
  const out: DryRun = {
    audience: 0,
    would_send: 0,
    excluded: Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>,
    by_variant: {},
    sample: [],
    errors: [],
  };
  const toRender: Verdict[] = [];
  const recommending = campaign.kind === "recommendations";
  if (recommending) {
    out.by_kind = { cross_sell: 0, rebuy: 0, winback: 0 };
    out.by_segment = { VIP: 0, Standard: 0, "At Risk": 0, Churn: 0, None: 0 };
  }
  let after: string | null = null;
  for (;;) {
    const page = await audiencePage(tenant, plan, after, PAGE);
    for (const v of page.verdicts) {
      out.audience++;
      if (v.reason) out.excluded[v.reason]++;
      else {
        out.would_send++;
        const name = v.variant?.name ?? "default";
        out.by_variant[name] = (out.by_variant[name] ?? 0) + 1;
        if (out.by_kind && out.by_segment) {
          out.by_kind[name] = (out.by_kind[name] ?? 0) + 1;
          const seg = v.contact.rfmSegment ?? "None";
          out.by_segment[seg] = (out.by_segment[seg] ?? 0) + 1;
        }
        if (toRender.length < RENDER_CHECKS) toRender.push(v);
      }
    }
    await onPage?.(page.verdicts);
    if (page.scanned < PAGE || !page.lastId) break;
    after = page.lastId;
  }
  const ids = [...new Set(toRender.map((v) => v.variant?.template_id).filter((x): x is string => !!x))];
  const rows = ids.length
    ? await tenant.db
        .select()
        .from(templates)
        .where(scoped(tenant, templates, inArray(templates.id, ids)))
        .all()
    : [];
  for (const v of toRender) {
    const template = rows.find((t) => t.id === v.variant?.template_id);
    if (!template) continue;
    try {
      const rendered = await renderTemplate(await withSnippets(tenant, template), {
        ...templateContext(v.contact, { scenario_name: campaign.name, unsubscribe_url: "#unsubscribe" }),
        campaign_name: campaign.name,
        preferences_url: "#preferences",
        ...(recommending ? await recommendationVariables(tenant, v.contact) : {}),
      });
      if (out.sample.length < SAMPLE)
        out.sample.push({
          contact_id: v.contact.id,
          email: v.contact.email,
          subject: rendered.subject,
          html: rendered.html,
        });
    } catch (e) {
      out.errors.push({
        contact_id: v.contact.id,
        code: "PERSONALIZATION_ERROR",
        message: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return out;
}
