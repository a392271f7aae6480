import { percent } from "../i18n";
import { usePage } from "../layout";
import type { SendingFigures } from "../../../services/dashboard/figures";

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
