import type { App } from "../../app-env";
import type { ErrorDetail } from "../../lib/errors";
import { listContacts } from "../../services/contacts/store";
import { updateScenario, assertSegment } from "../../services/scenarios/manage";
import { simulateScenario } from "../../services/scenarios/simulate";
import { scenarioDetail } from "../../services/scenarios/stats";
import { saveSteps } from "../../services/scenarios/steps";
import { type Transition, transitionScenario } from "../../services/scenarios/transitions";
import { listSegments } from "../../services/segments/store";
import { listTemplates } from "../../services/templates/store";
import { BarChart, Notice, Table } from "../../ui/app/components";
import { formatDate, percent } from "../../ui/app/i18n";
import { AppLayout, Csrf, type Page } from "../../ui/app/layout";
import { ScenarioPatch, StepsPut } from "../scenarios/schema";
import { issuesOf, runForm } from "./forms";
import { SettingsFields, type SettingsValues, settingsFromForm } from "./scenario-form";
import { type Ctx, field, formOf, html, pageOf } from "./session";
import { type StepRow, StepsFields, StepTree, stepsFromForm, stepsInput } from "./steps-form";

type Detail = Awaited<ReturnType<typeof scenarioDetail>>;
type Simulation = Awaited<ReturnType<typeof simulateScenario>>;

/** What the simulated journey did, one row per send, skip, event and end, in the member's timezone. */
function Timeline(props: { p: Page; sim: Simulation }) {
  const { p, sim } = props;
  const detail = (e: Simulation["timeline"][number]) => {
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
      rows={sim.timeline.map((e) => [formatDate(Date.parse(e.at), p.lang, p.timeZone), e.type, detail(e)])}
    />
  );
}

interface State {
  settings?: Partial<SettingsValues>;
  settingsErrors?: ErrorDetail[];
  steps?: StepRow[];
  stepErrors?: ErrorDetail[];
  notice?: { kind: "ok" | "error"; text: string } | null;
  simulation?: Simulation;
}

const rowsOf = (d: Detail): StepRow[] =>
  d.steps.map((s) => ({
    step_order: s.step_order,
    name: s.name,
    trigger: s.trigger,
    parent_step_order: s.parent_step_order,
    delay_days: s.delay_days,
    delay_hours: s.delay_hours,
    template_id: s.template_id,
    variants:
      s.variants.length > 1
        ? s.variants.map((v) => ({ name: v.name, template_id: v.template_id, weight: v.weight }))
        : [],
  }));

function Stats(props: { p: Page; d: Detail }) {
  const { t, lang } = props.p;
  const { d } = props;
  return (
    <section>
      <h2>{t.scenarios.stats}</h2>
      <BarChart
        title={t.scenarios.funnel}
        categories={d.steps.map((s) => `${s.step_order}. ${s.name}`)}
        series={[
          { label: t.scenarios.sentCol, values: d.steps.map((s) => s.sent) },
          { label: t.scenarios.openedCol, values: d.steps.map((s) => s.opened) },
          { label: t.scenarios.clickedCol, values: d.steps.map((s) => s.clicked) },
        ]}
      />
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

function Actions(props: { p: Page; d: Detail }) {
  const { t } = props.p;
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
          <Csrf p={props.p} />
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

async function detailPage(c: Ctx, s: State = {}) {
  const p = await pageOf(c);
  const tenant = c.get("tenant");
  const d = await scenarioDetail(tenant, c.req.param("id") ?? "");
  const [templates, segments, contacts] = await Promise.all([
    listTemplates(tenant, { limit: 200 }),
    listSegments(tenant, { limit: 200 }),
    listContacts(tenant, { limit: 50 }),
  ]);
  const names = new Map(templates.items.map((x) => [x.id, x.name]));
  const base = `/app/scenarios/${encodeURIComponent(d.id)}`;
  const failed = !!(s.settingsErrors?.length || s.stepErrors?.length);
  return html(
    c,
    <AppLayout p={p} title={d.name}>
      {s.notice ? <Notice kind={s.notice.kind}>{s.notice.text}</Notice> : null}
      <p>
        {p.t.common.status}: <span class="badge">{d.status}</span>
        {d.paused_reason ? <span class="muted">{` · ${d.paused_reason}`}</span> : null}
        {` · ${d.progress.enrolled}/${d.progress.eligible}`}
      </p>
      <Actions p={p} d={d} />
      <h2>{p.t.scenarios.steps}</h2>
      <StepTree steps={rowsOf(d)} templates={names} />
      <Stats p={p} d={d} />
      <form method="post" action={`${base}/steps`}>
        <Csrf p={p} />
        <h2>{`${p.t.scenarios.steps} · ${p.t.common.save}`}</h2>
        <StepsFields
          p={p}
          steps={s.steps ?? rowsOf(d)}
          templates={templates.items}
          errors={s.stepErrors ?? []}
        />
        <button type="submit">{p.t.common.save}</button>
      </form>
      <form method="post" action={`${base}/settings`}>
        <Csrf p={p} />
        <SettingsFields
          p={p}
          v={s.settings ?? (d as Partial<SettingsValues>)}
          errors={s.settingsErrors ?? []}
          segments={segments.items}
        />
        <button type="submit">{p.t.common.save}</button>
      </form>
      <section class="card">
        <h2>{p.t.form.simulate}</h2>
        <form method="post" action={`${base}/simulate`} class="row">
          <Csrf p={p} />
          <div>
            <label for="sim_contact">{p.t.nav.contacts}</label>
            <select id="sim_contact" name="contact_id">
              {contacts.items.map((x) => (
                <option value={x.id}>{x.email}</option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary">
            {p.t.form.simulate}
          </button>
        </form>
        {s.simulation ? <Timeline p={p} sim={s.simulation} /> : null}
      </section>
    </AppLayout>,
    failed ? 422 : 200,
  );
}

/** The scenario builder: tree, stats (funnel, variants with their probability of being best), steps, settings, transitions, simulation. */
export function registerScenarioPage(app: App) {
  app.get("/app/scenarios/:id", (c) => detailPage(c));
  app.post("/app/scenarios/:id/settings", async (c) => {
    const v = settingsFromForm(await formOf(c));
    const parsed = ScenarioPatch.safeParse(v);
    if (!parsed.success) return detailPage(c, { settings: v, settingsErrors: issuesOf(parsed.error) });
    const tenant = c.get("tenant");
    return runForm(
      async () => {
        await assertSegment(tenant, parsed.data.segment_id);
        await updateScenario(tenant, c.req.param("id"), parsed.data);
        return detailPage(c, { notice: { kind: "ok", text: (await pageOf(c)).t.common.saved } });
      },
      (errors) => detailPage(c, { settings: v, settingsErrors: errors }),
    );
  });
  app.post("/app/scenarios/:id/steps", async (c) => {
    const form = await formOf(c);
    const rows = Math.min(60, Number(field(form, "rows")) || 0);
    const steps = stepsFromForm(form, rows);
    const parsed = StepsPut.safeParse({ steps: stepsInput(steps) });
    if (!parsed.success) return detailPage(c, { steps, stepErrors: issuesOf(parsed.error) });
    return runForm(
      async () => {
        await saveSteps(c.get("tenant"), c.req.param("id"), parsed.data.steps);
        return detailPage(c, { notice: { kind: "ok", text: (await pageOf(c)).t.common.saved } });
      },
      (errors) => detailPage(c, { steps, stepErrors: errors }),
    );
  });
  for (const tr of ["start", "pause", "resume", "stop"] as const) {
    app.post(`/app/scenarios/:id/${tr}`, async (c) => {
      const form = await formOf(c);
      if (tr === "stop" && field(form, "confirm") !== "yes")
        return detailPage(c, { notice: { kind: "error", text: (await pageOf(c)).t.scenarios.stopConfirm } });
      return runForm(
        async () => {
          await transitionScenario(c.env, c.get("tenant"), c.req.param("id"), tr);
          return c.redirect(`/app/scenarios/${encodeURIComponent(c.req.param("id"))}`, 303);
        },
        (errors) =>
          detailPage(c, { notice: { kind: "error", text: errors.map((e) => e.message).join("; ") } }),
      );
    });
  }
  app.post("/app/scenarios/:id/simulate", async (c) => {
    const form = await formOf(c);
    return runForm(
      async () => {
        const simulation = await simulateScenario(c.get("tenant"), c.req.param("id"), {
          contact_id: field(form, "contact_id"),
          events: [],
        });
        return detailPage(c, { simulation });
      },
      (errors) => detailPage(c, { notice: { kind: "error", text: errors.map((e) => e.message).join("; ") } }),
    );
  });
}
