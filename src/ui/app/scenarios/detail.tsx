import type { simulateScenario } from "../../../services/scenarios/simulate";
import type { scenarioDetail } from "../../../services/scenarios/stats";
import type { Transition } from "../../../services/scenarios/transitions";
import { BarChart, Table } from "../components";
import { formatDate, percent } from "../i18n";
import { Csrf, usePage } from "../layout";

export type Simulation = Awaited<ReturnType<typeof simulateScenario>>;

export type Detail = Awaited<ReturnType<typeof scenarioDetail>>;

/** What the simulated journey did, one row per send, skip, event and end, in the member's timezone. */
export function Timeline(props: { sim: Simulation }) {
  const p = usePage();
  const { sim } = props;
  const detail = (e: Simulation["timeline"][number]) => {
    // A flow journey's path: the node and what happened there.
    if ("node_id" in e) return `${e.node_id} · ${e.outcome}`;
    if (e.type === "send")
      return `${e.step_order}. ${e.step_name} · ${e.variant}${e.moves.length ? ` · ${e.moves.map((m) => m.reason).join(", ")}` : ""}`;
    if (e.type === "skip") return `${e.step_order}. ${e.step_name} · ${e.reason}`;
    if (e.type === "event") return `${e.event} · ${e.effect}`;
    return `${e.status}${e.reason ? ` · ${e.reason}` : ""}`;
  };
  return (
    <Table
      caption={`${p.t.form.simulate}: ${sim.status}`}
      head={[p.t.common.created, p.t.common.status, ""]}
      empty={p.t.common.empty}
      rows={sim.timeline.map((e) => [
        formatDate(Date.parse(e.at), p.lang, p.timeZone),
        e.type ?? "",
        detail(e),
      ])}
    />
  );
}

export function Stats(props: { d: Detail }) {
  const { t, lang } = usePage();
  const { d } = props;
  return (
    <section>
      <h2>{t.scenarios.stats}</h2>
      {d.steps.length ? (
        <BarChart
          title={t.scenarios.funnel}
          categories={d.steps.map((s) => `${s.step_order}. ${s.name}`)}
          series={[
            { label: t.scenarios.sentCol, values: d.steps.map((s) => s.sent) },
            { label: t.scenarios.openedCol, values: d.steps.map((s) => s.opened) },
            { label: t.scenarios.clickedCol, values: d.steps.map((s) => s.clicked) },
          ]}
        />
      ) : (
        <p class="muted">{t.scenarios.noEmails}</p>
      )}
      {d.steps
        .filter((s) => s.variants.length > 1)
        .map((s) => (
          <div>
            <h3>{`${t.scenarios.variants}: ${s.step_order}. ${s.name}`}</h3>
            <BarChart
              title={`${t.scenarios.variants} ${s.name}`}
              categories={s.variants.map((v) => v.name)}
              series={[
                { label: t.scenarios.sentCol, values: s.variants.map((v) => v.sent) },
                { label: t.scenarios.openedCol, values: s.variants.map((v) => v.opened) },
                { label: t.scenarios.clickedCol, values: s.variants.map((v) => v.clicked) },
              ]}
            />
            <Table
              head={[
                t.common.name,
                t.scenarios.weight,
                t.scenarios.sentCol,
                t.dashboard.openRate,
                t.dashboard.clickRate,
                t.scenarios.probability,
              ]}
              empty=""
              rows={s.variants.map((v) => [
                v.name + (s.winner?.variant === v.name ? " ★" : ""),
                `${v.weight}%`,
                String(v.sent),
                percent(v.open_rate, lang),
                percent(v.click_rate, lang),
                "probability_best" in v ? percent(Number(v.probability_best), lang) : "",
              ])}
            />
          </div>
        ))}
      <h3>{t.scenarios.sequences}</h3>
      <Table
        head={[t.common.status, "n"]}
        empty=""
        rows={Object.entries(d.sequences).map(([k, n]) => [k, String(n)])}
      />
    </section>
  );
}

export function Actions(props: { d: Detail }) {
  const { t } = usePage();
  const base = `/app/scenarios/${encodeURIComponent(props.d.id)}`;
  const allowed: Record<string, Transition[]> = {
    draft: ["start"],
    active: ["pause", "stop"],
    paused: ["resume", "stop"],
    stopped: [],
  };
  return (
    <div class="row">
      {(allowed[props.d.status] ?? []).map((tr) => (
        <form
          method="post"
          action={`${base}/${tr}`}
          data-confirm={tr === "stop" ? t.scenarios.stopConfirm : undefined}
        >
          <Csrf />
          {tr === "stop" ? (
            <label>
              <input type="checkbox" name="confirm" value="yes" required /> {t.scenarios.stopConfirm}
            </label>
          ) : null}
          <button type="submit" class={tr === "stop" ? "danger" : ""}>
            {t.scenarios[tr]}
          </button>
        </form>
      ))}
    </div>
  );
}
