import type { App } from "../../app-env";
import { campaignLinks, clicksOnEmail } from "../../services/campaigns/links";
import { sandboxedHtml } from "./frame";
import { CampaignBreakdown } from "../../ui/app/campaigns/breakdown";
import type { ErrorDetail } from "../../lib/errors";
import { zonedInstant } from "../../lib/timezone";
import { dryRun } from "../../services/campaigns/dry-run";
import { campaignStats, campaignTimeline } from "../../services/campaigns/stats";
import { campaignView, createCampaign, getCampaign, listCampaigns } from "../../services/campaigns/store";
import { type CampaignTransition, transitionCampaign } from "../../services/campaigns/transitions";
import { countMembers, membershipOf } from "../../services/segments/query";
import { listSegments } from "../../services/segments/store";
import { listTemplates } from "../../services/templates/store";
import { BarChart, Notice, ObjectList } from "../../ui/app/components";
import { formatDate, percent } from "../../ui/app/i18n";
import { Csrf } from "../../ui/app/layout";
import { CampaignCreate } from "../campaigns/schema";
import { issuesOf, runForm } from "./forms";
import { type Ctx, field, formOf, render, pageOf } from "./session";
import { Report } from "../../ui/app/campaigns/dry-run-report";

function draftOf(f: Record<string, unknown>) {
  const raw = f.segment_ids;
  const segments = (Array.isArray(raw) ? raw : [raw]).filter(
    (v): v is string => typeof v === "string" && v !== "",
  );
  return {
    name: field(f, "name").trim(),
    template_id: field(f, "template_id") || null,
    segment_ids: segments,
    from_email: field(f, "from_email").trim(),
    from_name: field(f, "from_name").trim() || null,
  };
}

async function newPage(c: Ctx, d: ReturnType<typeof draftOf>, errors: ErrorDetail[]) {
  const p = await pageOf(c);
  const tenant = c.get("tenant");
  const [templates, segments] = await Promise.all([
    listTemplates(tenant, { limit: 200 }),
    listSegments(tenant, { limit: 200 }),
  ]);
  // Each segment with its size, so the audience is in view while choosing (the dry run is exact).
  const sizes = await Promise.all(segments.items.map((s) => countMembers(tenant, membershipOf(s))));
  const err = (k: string) =>
    errors
      .filter((e) => e.field?.startsWith(k))
      .map((e) => e.message)
      .join("; ");
  return render(
    c,
    p.t.campaigns.title,
    <>
      {errors.length ? (
        <Notice kind="error">{errors.map((e) => `${e.field ?? ""}: ${e.message}`).join("; ")}</Notice>
      ) : null}
      <form method="post" action="/app/campaigns">
        <Csrf />
        <label for="name">{p.t.common.name}</label>
        <input id="name" name="name" required value={d.name} />
        <label for="template_id">{p.t.scenarios.template}</label>
        <select id="template_id" name="template_id">
          {templates.items.map((x) => (
            <option value={x.id} selected={x.id === d.template_id}>
              {x.name}
            </option>
          ))}
        </select>
        <label for="segment_ids">{p.t.nav.segments}</label>
        <select id="segment_ids" name="segment_ids" multiple required aria-describedby="segments-error">
          {segments.items.map((s, i) => (
            <option value={s.id} selected={d.segment_ids.includes(s.id)}>
              {`${s.name} (${sizes[i] ?? 0})`}
            </option>
          ))}
        </select>
        {err("segment_ids") ? (
          <p class="notice error" id="segments-error">
            {err("segment_ids")}
          </p>
        ) : null}
        <label for="from_email">{p.t.form.fromEmail}</label>
        <input id="from_email" name="from_email" type="email" required value={d.from_email} />
        <label for="from_name">{p.t.form.fromName}</label>
        <input id="from_name" name="from_name" value={d.from_name ?? ""} />
        <p>
          <button type="submit">{p.t.common.create}</button>
        </p>
      </form>
    </>,
    errors.length ? 422 : 200,
  );
}

async function detailPage(
  c: Ctx,
  extra: { report?: Awaited<ReturnType<typeof dryRun>>; notice?: string } = {},
) {
  const p = await pageOf(c);
  const { t } = p;
  const tenant = c.get("tenant");
  const row = await getCampaign(tenant, c.req.param("id") ?? "");
  const v = campaignView(row);
  const [stats, timeline, links] = await Promise.all([
    campaignStats(tenant, row),
    campaignTimeline(tenant, row, "hour"),
    campaignLinks(tenant, row),
  ]);
  const base = `/app/campaigns/${encodeURIComponent(v.id)}`;
  const actions: Record<string, CampaignTransition[]> = {
    draft: ["send", "schedule"],
    scheduled: ["cancel"],
    sending: ["pause", "cancel"],
    paused: ["resume", "cancel"],
  };
  return render(
    c,
    v.name,
    <>
      {extra.notice ? <Notice kind="error">{extra.notice}</Notice> : null}
      <p>
        {t.common.status}: <span class="badge">{v.status}</span>
        {v.send_at
          ? ` · ${t.campaigns.scheduled} ${formatDate(Date.parse(v.send_at), p.lang, p.timeZone)}`
          : ""}
        {` · ${v.progress.finished}/${v.progress.queued}`}
      </p>
      <div class="row">
        <form method="post" action={`${base}/dry-run`}>
          <Csrf />
          <button type="submit" class="secondary">
            {t.campaigns.dryRun}
          </button>
        </form>
        {(actions[v.status] ?? []).map((a) => (
          <form method="post" action={`${base}/${a}`} class="row">
            <Csrf />
            {a === "schedule" ? (
              <div>
                <label for="send_at">{`${t.campaigns.scheduled} (${p.timeZone ?? "UTC"})`}</label>
                <input id="send_at" name="send_at" type="datetime-local" required />
              </div>
            ) : null}
            <button type="submit" class={a === "cancel" ? "danger" : ""}>
              {t.form.campaignActions[a]}
            </button>
          </form>
        ))}
      </div>
      {extra.report ? <Report r={extra.report} /> : null}
      <section class="card">
        <h2>{t.scenarios.stats}</h2>
        <p>
          {`${t.scenarios.sentCol}: ${stats.sent} · ${t.dashboard.openRate}: ${percent(stats.open_rate, p.lang)} · ${t.dashboard.clickRate}: ${percent(stats.click_rate, p.lang)}`}
        </p>
        {stats.waiting_warmup ? (
          <p class="muted">{`${t.campaigns.waitingWarmup}: ${stats.waiting_warmup}`}</p>
        ) : null}
        <BarChart
          title={t.campaigns.timeline}
          categories={timeline.items.map((i) => formatDate(Date.parse(i.at), p.lang, p.timeZone))}
          series={[
            {
              label: t.scenarios.sentCol,
              values: timeline.items.map((i) => Number((i as Record<string, unknown>).sent ?? 0)),
            },
            {
              label: t.scenarios.openedCol,
              values: timeline.items.map((i) => Number((i as Record<string, unknown>).opened ?? 0)),
            },
            {
              label: t.scenarios.clickedCol,
              values: timeline.items.map((i) => Number((i as Record<string, unknown>).clicked ?? 0)),
            },
          ]}
        />
      </section>
      <CampaignBreakdown stats={stats} links={links} frameSrc={`${base}/clicks-frame`} />
    </>,
  );
}

/** Campaigns: the list, a form with its audience, the dry-run report, send or schedule, analytics. */
export function registerCampaigns(app: App) {
  // The email with each link's clicks on it, for the campaign page's sandboxed frame.
  app.get("/app/campaigns/:id/clicks-frame", async (c) => {
    const tenant = c.get("tenant");
    const html = await clicksOnEmail(tenant, await getCampaign(tenant, c.req.param("id")));
    return sandboxedHtml(c, `<!doctype html><meta charset="utf-8"><title>clicks</title>${html}`);
  });
  app.get("/app/campaigns", async (c) => {
    const p = await pageOf(c);
    const list = await listCampaigns(c.get("tenant"), { limit: 200 });
    return render(
      c,
      p.t.campaigns.title,
      <ObjectList
        newHref="/app/campaigns/new"
        newLabel={p.t.common.create}
        base="/app/campaigns"
        items={list.items}
      />,
    );
  });
  app.get("/app/campaigns/new", (c) => newPage(c, draftOf({}), []));
  app.post("/app/campaigns", async (c) => {
    const d = draftOf(await formOf(c));
    const parsed = CampaignCreate.safeParse(d);
    if (!parsed.success) return newPage(c, d, issuesOf(parsed.error));
    return runForm(
      async () => {
        const row = await createCampaign(c.get("tenant"), parsed.data);
        return c.redirect(`/app/campaigns/${encodeURIComponent(row.id)}`, 303);
      },
      (errors) => newPage(c, d, errors),
    );
  });
  app.get("/app/campaigns/:id", (c) => detailPage(c));
  app.post("/app/campaigns/:id/dry-run", async (c) =>
    runForm(
      async () =>
        detailPage(c, {
          report: await dryRun(c.get("tenant"), await getCampaign(c.get("tenant"), c.req.param("id"))),
        }),
      (errors) => detailPage(c, { notice: errors.map((e) => e.message).join("; ") }),
    ),
  );
  for (const a of ["send", "schedule", "pause", "resume", "cancel"] as const) {
    app.post(`/app/campaigns/:id/${a}`, async (c) => {
      const form = await formOf(c);
      // The form's date and time are the member's wall clock (datetime-local has no zone).
      let sendAt: string | undefined;
      if (a === "schedule") {
        const zone = (await pageOf(c)).timeZone ?? "UTC";
        const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(field(form, "send_at"));
        if (!m) return detailPage(c, { notice: `send_at: a date and time (${zone})` });
        const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
        sendAt = new Date(zonedInstant(y, mo, d, h * 60 + mi, zone)).toISOString();
      }
      return runForm(
        async () => {
          await transitionCampaign(
            c.env,
            c.get("tenant"),
            c.req.param("id"),
            a,
            sendAt ? { send_at: sendAt } : {},
          );
          return c.redirect(`/app/campaigns/${encodeURIComponent(c.req.param("id"))}`, 303);
        },
        (errors) => detailPage(c, { notice: errors.map((e) => e.message).join("; ") }),
      );
    });
  }
}
