import type { campaignLinks } from "../../../services/campaigns/links";
import type { campaignStats } from "../../../services/campaigns/stats";
import { Table } from "../components";
import { percent } from "../i18n";
import { usePage } from "../layout";

/** What a campaign earned, where it bounced, and its links in the order of the email. */
export function CampaignBreakdown(props: {
  stats: Awaited<ReturnType<typeof campaignStats>>;
  links: Awaited<ReturnType<typeof campaignLinks>>;
  /** The sandboxed frame drawing the clicks on the email. */
  frameSrc: string;
}) {
  const { t, lang } = usePage();
  const s = props.stats;
  const money = (v: number) =>
    new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 2 }).format(v);
  return (
    <>
      <section class="card figures" aria-label={t.campaigns.revenue}>
        <div>
          <div class="muted">{t.campaigns.orders}</div>
          <div class="figure">{String(s.orders)}</div>
        </div>
        <div>
          <div class="muted">{t.campaigns.revenue}</div>
          <div class="figure">{money(s.revenue)}</div>
        </div>
        <div>
          <div class="muted">{t.campaigns.conversion}</div>
          <div class="figure">{percent(s.conversion_rate, lang)}</div>
        </div>
      </section>
      <div class="grid">
        <section class="card">
          <h2>{t.campaigns.byDomain}</h2>
          <Table
            head={[
              t.campaigns.domain,
              t.reports.sent,
              t.reports.delivered,
              t.reports.opened,
              t.reports.clicked,
              t.reports.bounced,
            ]}
            empty={t.common.empty}
            rows={s.by_domain.map((d) => [
              d.domain,
              String(d.sent),
              String(d.delivered),
              String(d.opened),
              String(d.clicked),
              String(d.bounced),
            ])}
          />
        </section>
        <section class="card">
          <h2>{t.campaigns.bounceReasons}</h2>
          <Table
            head={[t.campaigns.reason, t.campaigns.count]}
            empty={t.common.empty}
            rows={s.bounce_reasons.map((b) => [b.reason, String(b.count)])}
          />
        </section>
      </div>
      <section class="card">
        <h2>{t.campaigns.emailClicks}</h2>
        <iframe
          class="preview"
          title={t.campaigns.emailClicks}
          sandbox=""
          src={props.frameSrc}
          loading="lazy"
        />
      </section>
      <section class="card">
        <h2>{t.campaigns.links}</h2>
        <Table
          head={[t.campaigns.linkPosition, "URL", t.campaigns.clicks, t.campaigns.uniqueClicks]}
          empty={t.common.empty}
          rows={props.links.items.map((l) => [
            l.position === null ? "–" : String(l.position),
            <code>{l.url}</code>,
            String(l.clicks),
            String(l.unique_clicks),
          ])}
        />
      </section>
    </>
  );
}
