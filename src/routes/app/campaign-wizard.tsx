import type { App } from "../../app-env";
import { configOf } from "../../config";
import type { ErrorDetail } from "../../lib/errors";
import { parseJson } from "../../lib/json";
import { now } from "../../lib/clock";
import { wallClockInstant } from "../../lib/timezone";
import { audienceEstimate } from "../../services/campaigns/audience-count";
import { dryRun } from "../../services/campaigns/dry-run";
import { campaignTemplates, createCampaign, getCampaign } from "../../services/campaigns/store";
import { countMembers, membershipOf } from "../../services/segments/query";
import { getSegments, listSegments } from "../../services/segments/store";
import { checkTemplate } from "../../services/templates/check";
import { listTemplates } from "../../services/templates/store";
import { Report } from "../../ui/app/campaigns/dry-run-report";
import { Review } from "../../ui/app/campaigns/review";
import { STEP_FIELDS, WIZARD_STEPS, Wizard, type WizardDraft } from "../../ui/app/campaigns/wizard";
import { formatDate } from "../../ui/app/i18n";
import { CampaignCreate } from "../campaigns/schema";
import { issuesOf, runForm } from "./forms";
import { type Ctx, field, formOf, pageOf, render } from "./session";
import { withSnippets } from "../../services/templates/snippets";

const list = (f: Record<string, unknown>, k: string) =>
  (Array.isArray(f[k]) ? (f[k] as unknown[]) : [f[k]]).filter(
    (v): v is string => typeof v === "string" && v !== "",
  );

export const wizardDraftOf = (f: Record<string, unknown>): WizardDraft => ({
  name: field(f, "name").trim(),
  template_id: field(f, "template_id"),
  from_email: field(f, "from_email").trim(),
  from_name: field(f, "from_name").trim(),
  segment_ids: list(f, "segment_ids"),
  exclude_segment_ids: list(f, "exclude_segment_ids"),
  when: field(f, "when") === "later" ? "later" : "now",
  send_at: field(f, "send_at"),
});

export const wizardInputOf = (d: WizardDraft) => ({
  name: d.name,
  template_id: d.template_id || null,
  from_email: d.from_email,
  from_name: d.from_name || null,
  segment_ids: d.segment_ids,
  exclude_segment_ids: d.exclude_segment_ids,
});

/** The draft's problems in the steps up to `step` (the API's own schema; the time in the member's zone). */
function problems(d: WizardDraft, step: number, zone: string): ErrorDetail[] {
  const parsed = CampaignCreate.safeParse(wizardInputOf(d));
  const owned = STEP_FIELDS.slice(0, step + 1).flat();
  const out = parsed.success
    ? []
    : issuesOf(parsed.error).filter((e) => owned.some((f) => e.field?.startsWith(f)));
  if (step >= 1 && !d.segment_ids.length)
    out.push({ field: "segment_ids", message: "choose at least one segment" });
  if (step >= 2 && d.when === "later") {
    const at = wallClockInstant(d.send_at, zone);
    if (at === null) out.push({ field: "send_at", message: `a date and time (${zone})` });
    else if (at <= now()) out.push({ field: "send_at", message: "must be in the future" });
  }
  return out;
}

export async function wizardStep(
  c: Ctx,
  at: number,
  d: WizardDraft,
  errors: ErrorDetail[] = [],
  estimate = null as Awaited<ReturnType<typeof audienceEstimate>> | null,
) {
  const p = await pageOf(c);
  const tenant = c.get("tenant");
  const [templates, segments] = await Promise.all([
    at === 0 ? listTemplates(tenant, { limit: 200 }) : null,
    at === 1 ? listSegments(tenant, { limit: 200 }) : null,
  ]);
  const sizes = await Promise.all((segments?.items ?? []).map((s) => countMembers(tenant, membershipOf(s))));
  return render(
    c,
    p.t.campaigns.title,
    <Wizard
      step={at}
      d={d}
      errors={errors}
      templates={(templates?.items ?? []).map((x) => ({ id: x.id, name: x.name }))}
      segments={(segments?.items ?? []).map((s, i) => ({ id: s.id, name: s.name, size: sizes[i] ?? 0 }))}
      estimate={estimate}
      zone={p.timeZone ?? "UTC"}
    />,
    errors.length ? 422 : 200,
  );
}

async function advance(c: Ctx) {
  const form = await formOf(c);
  const d = wizardDraftOf(form);
  const at = Math.min(Math.max(Number(field(form, "step")) || 0, 0), WIZARD_STEPS - 1);
  const todo = field(form, "do");
  const zone = (await pageOf(c)).timeZone ?? "UTC";
  const tenant = c.get("tenant");
  if (todo === "back") return wizardStep(c, Math.max(at - 1, 0), d);
  if (todo === "count") {
    // The live count (JSON for the page script) or, without the script, the step with the count.
    return runForm(
      async () => {
        const estimate = await audienceEstimate(tenant, d.segment_ids, d.exclude_segment_ids);
        if (c.req.header("Accept")?.includes("application/json")) return c.json(estimate);
        return wizardStep(c, 1, d, [], estimate);
      },
      (errors) => wizardStep(c, 1, d, errors),
    );
  }
  const errors = problems(d, at, zone);
  if (errors.length) return wizardStep(c, at, d, errors);
  if (at < WIZARD_STEPS - 1) return wizardStep(c, at + 1, d);
  // The last step saves a draft campaign and shows its review: nothing is sent from here.
  return runForm(
    async () => {
      const row = await createCampaign(tenant, CampaignCreate.parse(wizardInputOf(d)));
      const query = d.when === "later" ? `?at=${encodeURIComponent(d.send_at)}` : "";
      return c.redirect(`/app/campaigns/${encodeURIComponent(row.id)}/review${query}`, 303);
    },
    (errs) => wizardStep(c, at, d, errs),
  );
}

async function review(c: Ctx) {
  const p = await pageOf(c);
  const tenant = c.get("tenant");
  const row = await getCampaign(tenant, c.req.param("id") ?? "");
  const base = `/app/campaigns/${encodeURIComponent(row.id)}`;
  if (row.status !== "draft") return c.redirect(base, 303);
  const zone = p.timeZone ?? "UTC";
  const atValue = c.req.query("at") ?? "";
  const atInstant = atValue ? wallClockInstant(atValue, zone) : null;
  const [templates, segments, excluded, report] = await Promise.all([
    campaignTemplates(tenant, {
      template_id: row.templateId,
      variants: parseJson(row.variants, null),
      templates: parseJson(row.templates, null),
    }),
    getSegments(tenant, parseJson<string[]>(row.segmentIds, []), "segment_ids"),
    getSegments(tenant, parseJson<string[]>(row.excludeSegmentIds, []), "exclude_segment_ids"),
    dryRun(tenant, row),
  ]);
  const baseUrl = configOf(c.env).PUBLIC_BASE_URL;
  const checks = await Promise.all(
    templates.map(async (t) => ({
      template: { id: t.id, name: t.name },
      issues: await checkTemplate(await withSnippets(tenant, t), { baseUrl }),
    })),
  );
  const named = (xs: { id: string; name: string }[]) => xs.map((x) => ({ id: x.id, name: x.name }));
  return render(
    c,
    `${p.t.builders.wizard.review}: ${row.name}`,
    <Review
      base={base}
      summary={{
        name: row.name,
        from: row.fromName ? `${row.fromName} <${row.fromEmail}>` : row.fromEmail,
        templates: named(templates),
        segments: named(segments),
        excluded: named(excluded),
      }}
      at={
        atInstant === null
          ? null
          : { value: atValue, label: `${formatDate(atInstant, p.lang, zone)} (${zone})` }
      }
      checks={checks}
    >
      <Report r={report} />
    </Review>,
  );
}

/** The new-campaign wizard (content, audience, schedule) and its review page. */
export function registerCampaignWizard(app: App) {
  app.get("/app/campaigns/new", (c) => wizardStep(c, 0, wizardDraftOf({})));
  app.post("/app/campaigns/new", (c) => advance(c));
  app.get("/app/campaigns/:id/review", (c) => review(c));
}
