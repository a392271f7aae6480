import type { App } from "../../app-env";
import type { ErrorDetail } from "../../lib/errors";
import { listContacts } from "../../services/contacts/store";
import { flowView } from "../../services/scenarios/flow/view";
import { listScenarios } from "../../services/scenarios/store";
import { FIELD_NAMES, OPERATORS } from "../../services/segments/fields";
import { listUsers } from "../../services/users/store";
import { JOURNEY_TEXT } from "../../ui/app/i18n-journey";
import { type JourneyData, JourneySection } from "../../ui/app/scenarios/journey";
import { updateScenario, assertSegment } from "../../services/scenarios/manage";
import { simulateScenario } from "../../services/scenarios/simulate";
import { scenarioDetail } from "../../services/scenarios/stats";
import { saveSteps } from "../../services/scenarios/steps";
import { transitionScenario } from "../../services/scenarios/transitions";
import { listSegments } from "../../services/segments/store";
import { listTemplates } from "../../services/templates/store";
import { Notice } from "../../ui/app/components";
import { Csrf } from "../../ui/app/layout";
import { ScenarioPatch, StepsPut } from "../scenarios/schema";
import { issuesOf, runForm } from "./forms";
import {
  SettingsFields,
  type SettingsValues,
  settingsFromForm,
} from "../../ui/app/scenarios/settings-fields";
import { type Ctx, field, formOf, render, pageOf } from "./session";
import {
  type StepRow,
  StepsFields,
  StepTree,
  stepsFromForm,
  stepsInput,
} from "../../ui/app/scenarios/steps-form";
import { Timeline, Stats, Actions, type Detail, type Simulation } from "../../ui/app/scenarios/detail";

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

async function detailPage(c: Ctx, s: State = {}) {
  const p = await pageOf(c);
  const tenant = c.get("tenant");
  const d = await scenarioDetail(tenant, c.req.param("id") ?? "");
  const [templates, segments, contacts, journey, members, scenarios] = await Promise.all([
    listTemplates(tenant, { limit: 200 }),
    listSegments(tenant, { limit: 200 }),
    listContacts(tenant, { limit: 50 }),
    flowView(tenant, d.id),
    listUsers(tenant, { limit: 200 }),
    listScenarios(tenant, { limit: 200 }),
  ]);
  const names = new Map(templates.items.map((x) => [x.id, x.name]));
  const base = `/app/scenarios/${encodeURIComponent(d.id)}`;
  const failed = !!(s.settingsErrors?.length || s.stepErrors?.length);
  const { version, source: _, status: __, stats, ...flow } = journey;
  const editor: JourneyData = {
    scenario: { id: d.id, name: d.name, status: d.status },
    flow,
    version,
    stats,
    templates: templates.items.map((x) => ({ id: x.id, name: x.name })),
    segments: segments.items.map((x) => ({ id: x.id, name: x.name })),
    users: members.items.map((x) => ({ id: x.id, name: x.name })),
    scenarios: scenarios.items.filter((x) => x.id !== d.id).map((x) => ({ id: x.id, name: x.name })),
    fields: FIELD_NAMES,
    operators: OPERATORS,
    urls: { check: `${base}/flow/check`, save: `${base}/flow`, read: `${base}/flow.json` },
    csrf: p.csrf,
    lang: p.lang,
    t: JOURNEY_TEXT[p.lang],
  };
  return render(
    c,
    d.name,
    <>
      {s.notice ? <Notice kind={s.notice.kind}>{s.notice.text}</Notice> : null}
      <p>
        {p.t.common.status}: <span class="badge">{d.status}</span>
        {d.paused_reason ? <span class="muted">{` · ${d.paused_reason}`}</span> : null}
        {journey.entry.type === "segment"
          ? ` · ${d.progress.enrolled}/${d.progress.eligible}`
          : ` · ${stats.runs} ${editor.t.runs}`}
      </p>
      <Actions d={d} />
      <JourneySection data={editor} />
      <Stats d={d} />
      <details open={!!s.stepErrors?.length}>
        <summary>{p.t.scenarios.stepsForm}</summary>
        <StepTree steps={rowsOf(d)} templates={names} />
        <form method="post" action={`${base}/steps`}>
          <Csrf />
          <h2>{`${p.t.scenarios.steps} · ${p.t.common.save}`}</h2>
          <StepsFields steps={s.steps ?? rowsOf(d)} templates={templates.items} errors={s.stepErrors ?? []} />
          <button type="submit">{p.t.common.save}</button>
        </form>
      </details>
      <form method="post" action={`${base}/settings`}>
        <Csrf />
        <SettingsFields
          v={s.settings ?? (d as Partial<SettingsValues>)}
          errors={s.settingsErrors ?? []}
          segments={segments.items}
        />
        <button type="submit">{p.t.common.save}</button>
      </form>
      <section class="card">
        <h2>{p.t.form.simulate}</h2>
        <form method="post" action={`${base}/simulate`} class="row">
          <Csrf />
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
        {s.simulation ? <Timeline sim={s.simulation} /> : null}
      </section>
    </>,
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
