import { desc, eq, inArray, lt } from "drizzle-orm";
import { campaigns, templates } from "../../db/schema";
import { iso, now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { getAudienceSettings } from "../settings/audience";
import type { Utm } from "../scenarios/store";
import { getSegments } from "../segments/store";

export type CampaignRow = typeof campaigns.$inferSelect;
export interface CampaignVariant {
  name: string;
  template_id: string;
  weight: number;
}
export interface RecommendationTemplates {
  rebuy: string;
  cross_sell: string;
  winback: string;
}

export interface CampaignInput {
  name: string;
  kind?: "standard" | "recommendations";
  provider?: "log" | "ses" | "brevo";
  from_email: string;
  from_name?: string | null;
  reply_to?: string | null;
  template_id?: string | null;
  variants?: CampaignVariant[] | null;
  templates?: RecommendationTemplates | null;
  segment_ids: string[];
  exclude_segment_ids?: string[];
  send_at?: string | null;
  timezone?: string | null;
  utm?: Utm | null;
  track_opens?: boolean;
  track_clicks?: boolean;
  auto_winner?: Record<string, unknown> | null;
}

export function campaignView(c: CampaignRow) {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    kind: c.kind,
    provider: c.provider,
    from_email: c.fromEmail,
    from_name: c.fromName,
    reply_to: c.replyTo,
    template_id: c.templateId,
    variants: parseJson<CampaignVariant[] | null>(c.variants, null),
    templates: parseJson<RecommendationTemplates | null>(c.templates, null),
    segment_ids: parseJson<string[]>(c.segmentIds, []),
    exclude_segment_ids: parseJson<string[]>(c.excludeSegmentIds, []),
    send_at: iso(c.sendAt),
    timezone: c.timezone,
    utm: parseJson<Utm | null>(c.utm, null),
    track_opens: c.trackOpens,
    track_clicks: c.trackClicks,
    auto_winner: parseJson<Record<string, unknown> | null>(c.autoWinner, null),
    winner: parseJson<Record<string, unknown> | null>(c.winner, null),
    ab_test: c.testResolvedAt ? { test_queued_at: iso(c.testResolvedAt), decide_at: iso(c.decideAt) } : null,
    paused_reason: c.pausedReason,
    progress: { queued: c.queuedCount, finished: c.finishedCount, resolved: c.resolvedAt !== null },
    started_at: iso(c.startedAt),
    completed_at: iso(c.completedAt),
    created_at: iso(c.createdAt) as string,
    updated_at: iso(c.updatedAt) as string,
  };
}

/** Every template the campaign names, with its sources (content checks read them). */
export async function campaignTemplates(
  tenant: Tenant,
  input: Pick<CampaignInput, "template_id" | "variants" | "templates">,
) {
  const ids = [
    ...(input.template_id ? [input.template_id] : []),
    ...(input.variants ?? []).map((v) => v.template_id),
    ...(input.templates ? Object.values(input.templates) : []),
  ];
  const unique = [...new Set(ids)];
  const rows = unique.length
    ? await tenant.db
        .select()
        .from(templates)
        .where(scoped(tenant, templates, inArray(templates.id, unique)))
        .all()
    : [];
  const missing = unique.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length)
    throw new ApiError("NOT_FOUND", `template not found: ${missing.join(", ")}`, [
      { field: "template_id", message: `no template ${missing[0]} in this organization` },
    ]);
  return rows;
}

/**
 * What a campaign must hold before it is saved or sent: segments and templates of this
 * organization (404), a template or variants (or the three recommendation templates), content
 * that is not empty and, when the organization requires it, an unsubscribe link (422
 * INVALID_EMAIL_CONTENT).
 */
export async function validateCampaign(tenant: Tenant, input: CampaignInput) {
  if (!input.segment_ids.length)
    throw new ApiError("INVALID_EMAIL_CONTENT", "a campaign needs at least one segment", [
      { field: "segment_ids", message: "give at least one segment" },
    ]);
  await getSegments(tenant, input.segment_ids, "segment_ids");
  await getSegments(tenant, input.exclude_segment_ids ?? [], "exclude_segment_ids");
  const kind = input.kind ?? "standard";
  if (kind === "recommendations" && !input.templates)
    throw new ApiError(
      "INVALID_EMAIL_CONTENT",
      "a recommendations campaign needs templates {rebuy, cross_sell, winback}",
      [{ field: "templates", message: "required for kind recommendations" }],
    );
  if (kind === "standard" && !input.template_id && !input.variants?.length)
    throw new ApiError("INVALID_EMAIL_CONTENT", "a campaign needs a template_id or variants", [
      { field: "template_id", message: "give a template_id or variants" },
    ]);
  const rows = await campaignTemplates(tenant, input);
  const { require_unsubscribe_link } = await getAudienceSettings(tenant);
  for (const t of rows) {
    if (!t.subject.trim() || (!t.html.trim() && !t.text?.trim()))
      throw new ApiError("INVALID_EMAIL_CONTENT", `template ${t.id} is empty`, [
        { field: "template_id", message: "the template has no subject or no body" },
      ]);
    if (require_unsubscribe_link && !/\{\{-?\s*unsubscribe_url\b/.test(`${t.html}\n${t.text ?? ""}`))
      throw new ApiError("INVALID_EMAIL_CONTENT", `template ${t.id} has no unsubscribe link`, [
        {
          field: "template_id",
          message: "this organization requires {{ unsubscribe_url }} in every campaign template",
        },
      ]);
  }
}

function columns(input: CampaignInput) {
  return {
    name: input.name,
    kind: input.kind ?? "standard",
    provider: input.provider ?? "log",
    fromEmail: input.from_email,
    fromName: input.from_name ?? null,
    replyTo: input.reply_to ?? null,
    templateId: input.template_id ?? null,
    variants: input.variants?.length ? JSON.stringify(input.variants) : null,
    templates: input.templates ? JSON.stringify(input.templates) : null,
    segmentIds: JSON.stringify([...new Set(input.segment_ids)]),
    excludeSegmentIds: JSON.stringify([...new Set(input.exclude_segment_ids ?? [])]),
    sendAt: input.send_at ? Date.parse(input.send_at) : null,
    timezone: input.timezone ?? null,
    utm: input.utm ? JSON.stringify(input.utm) : null,
    trackOpens: input.track_opens ?? true,
    trackClicks: input.track_clicks ?? true,
    autoWinner: input.auto_winner ? JSON.stringify(input.auto_winner) : null,
  };
}

export async function createCampaign(tenant: Tenant, input: CampaignInput): Promise<CampaignRow> {
  await validateCampaign(tenant, input);
  const at = now();
  const [row] = await tenant.db
    .insert(campaigns)
    .values({
      id: newId("cmp", at),
      organizationId: tenant.orgId,
      ...columns(input),
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return row as CampaignRow;
}

export async function getCampaign(tenant: Tenant, id: string): Promise<CampaignRow> {
  const row = await tenant.db
    .select()
    .from(campaigns)
    .where(scoped(tenant, campaigns, eq(campaigns.id, id)))
    .get();
  if (!row) throw notFound("campaign");
  return row;
}

export async function listCampaigns(tenant: Tenant, q: { limit: number; cursor?: string; status?: string }) {
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(campaigns)
    .where(
      scoped(
        tenant,
        campaigns,
        after ? lt(campaigns.id, String(after[0])) : undefined,
        q.status ? eq(campaigns.status, q.status as CampaignRow["status"]) : undefined,
      ),
    )
    .orderBy(desc(campaigns.id))
    .limit(q.limit + 1)
    .all();
  return page(rows, q.limit, (r) => [r.id]);
}

/** The input a stored campaign was made from (PATCH merges into it; duplicate copies it). */
export function inputOf(c: CampaignRow): CampaignInput {
  const v = campaignView(c);
  return {
    name: v.name,
    kind: v.kind as CampaignInput["kind"],
    provider: v.provider,
    from_email: v.from_email,
    from_name: v.from_name,
    reply_to: v.reply_to,
    template_id: v.template_id,
    variants: v.variants,
    templates: v.templates,
    segment_ids: v.segment_ids,
    exclude_segment_ids: v.exclude_segment_ids,
    send_at: v.send_at,
    timezone: v.timezone,
    utm: v.utm,
    track_opens: v.track_opens,
    track_clicks: v.track_clicks,
    auto_winner: v.auto_winner,
  };
}

/** Change a draft campaign (any other status: 409). */
export async function updateCampaign(tenant: Tenant, id: string, patch: Partial<CampaignInput>) {
  const row = await getCampaign(tenant, id);
  if (row.status !== "draft")
    throw new ApiError("ILLEGAL_TRANSITION", `a ${row.status} campaign cannot be edited`);
  const merged = { ...inputOf(row), ...patch };
  await validateCampaign(tenant, merged);
  await tenant.db
    .update(campaigns)
    .set({ ...columns(merged), updatedAt: now() })
    .where(scoped(tenant, campaigns, eq(campaigns.id, id), eq(campaigns.status, "draft")));
  return getCampaign(tenant, id);
}

export async function duplicateCampaign(tenant: Tenant, id: string) {
  const row = await getCampaign(tenant, id);
  return createCampaign(tenant, { ...inputOf(row), name: `${row.name} (copy)`.slice(0, 200), send_at: null });
}
