import type { App } from "../../app-env";
import { campaignLinks, clicksOnEmail } from "../../services/campaigns/links";
import { sandboxedHtml } from "./frame";
import { registerCampaignWizard, wizardDraftOf, wizardInputOf, wizardStep } from "./campaign-wizard";
import { CampaignBreakdown } from "../../ui/app/campaigns/breakdown";
import { wallClockInstant } from "../../lib/timezone";
import { dryRun } from "../../services/campaigns/dry-run";
import { campaignStats, campaignTimeline } from "../../services/campaigns/stats";
import { campaignView, createCampaign, getCampaign, listCampaigns } from "../../services/campaigns/store";
import { type CampaignTransition, transitionCampaign } from "../../services/campaigns/transitions";
import { BarChart, Notice, ObjectList } from "../../ui/app/components";
import { formatDate, percent } from "../../ui/app/i18n";
import { Csrf } from "../../ui/app/layout";
import { CampaignCreate } from "../campaigns/schema";
import { issuesOf, runForm } from "./forms";
import { type Ctx, field, formOf, render, pageOf } from "./session";
import { Report } from "../../ui/app/campaigns/dry-run-report";

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
  registerCampaignWizard(app);
  // One form post that creates a draft (for scripts and the pages' tests); people use the wizard.
  app.post("/app/campaigns", async (c) => {
    const d = wizardDraftOf(await formOf(c));
    const parsed = CampaignCreate.safeParse(wizardInputOf(d));
    if (!parsed.success) return wizardStep(c, 0, d, issuesOf(parsed.error));
    return runForm(
      async () => {
        const row = await createCampaign(c.get("tenant"), parsed.data);
        return c.redirect(`/app/campaigns/${encodeURIComponent(row.id)}`, 303);
      },
      (errors) => wizardStep(c, 0, d, errors),
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
        const at = wallClockInstant(field(form, "send_at"), zone);
        if (at === null) return detailPage(c, { notice: `send_at: a date and time (${zone})` });
        sendAt = new Date(at).toISOString();
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
