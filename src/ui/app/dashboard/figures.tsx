import { percent } from "../i18n";
import { usePage } from "../layout";
import type { revenueFigures, SendingFigures } from "../../../services/dashboard/figures";

export function Figures(props: { title: string; f: SendingFigures }) {
  const { t, lang } = usePage();
  return (
    <section class="card" aria-label={props.title}>
      <h2>{props.title}</h2>
      <p>
        {t.dashboard.sent}: <span class="figure">{props.f.sent}</span>
      </p>
      <p>
        {t.dashboard.openRate}: <strong>{percent(props.f.openRate, lang)}</strong> · {t.dashboard.clickRate}:{" "}
        <strong>{percent(props.f.clickRate, lang)}</strong>
      </p>
    </section>
  );
}

/** Attributed revenue over 7 and 30 days, and the best campaign of the 30, linked. */
export function Revenue(props: { r: Awaited<ReturnType<typeof revenueFigures>> }) {
  const { t, lang } = usePage();
  const money = (v: number) =>
    new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 2 }).format(v);
  const r = props.r;
  return (
    <section class="card" aria-label={t.reports.revenue}>
      <h2>{t.reports.revenue}</h2>
      <p>
        {t.dashboard.revenue7}: <strong>{money(r.week.revenue)}</strong> ({r.week.orders} {t.dashboard.orders}
        )
      </p>
      <p>
        {t.dashboard.revenue30}: <span class="figure">{money(r.month.revenue)}</span> ({r.month.orders}{" "}
        {t.dashboard.orders})
      </p>
      <p>
        {r.best ? (
          <>
            {t.dashboard.bestCampaign}:{" "}
            <a href={`/app/campaigns/${encodeURIComponent(r.best.id)}`}>{r.best.name}</a> (
            {money(r.best.revenue)})
          </>
        ) : (
          <span class="muted">{t.dashboard.noRevenue}</span>
        )}
      </p>
    </section>
  );
}
