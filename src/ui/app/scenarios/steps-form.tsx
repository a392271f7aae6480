import type { FC } from "hono/jsx";
import { STEP_TRIGGERS } from "../../../db/schema";
import type { ErrorDetail } from "../../../lib/errors";
import { usePage } from "../layout";
import { field } from "../../../routes/app/session";

type Form = Record<string, unknown>;

/** A step as the builder shows it (the API's StepInput, with delay split into days and hours). */
export interface StepRow {
  step_order: number;
  name: string;
  trigger: (typeof STEP_TRIGGERS)[number];
  parent_step_order: number | null;
  delay_days: number;
  delay_hours: number;
  template_id: string;
  variants: { name: string; template_id: string; weight: number }[];
}

const MAX_VARIANTS = 4;

/** Rows of the builder form: s<i>_<field>, variants s<i>_v<j>_<field>; a row without a name is left out. */
export function stepsFromForm(f: Form, rows: number): StepRow[] {
  const out: StepRow[] = [];
  for (let i = 0; i < rows; i++) {
    const k = (x: string) => field(f, `s${i}_${x}`).trim();
    if (!k("name")) continue;
    const variants = [];
    for (let j = 0; j < MAX_VARIANTS; j++) {
      const name = k(`v${j}_name`);
      if (!name) continue;
      variants.push({ name, template_id: k(`v${j}_template_id`), weight: Number(k(`v${j}_weight`) || "0") });
    }
    out.push({
      step_order: Number(k("step_order")),
      name: k("name"),
      // As typed: the API's schema checks the trigger.
      trigger: k("trigger") as StepRow["trigger"],
      parent_step_order: k("parent_step_order") ? Number(k("parent_step_order")) : null,
      delay_days: Number(k("delay_days") || "0"),
      delay_hours: Number(k("delay_hours") || "0"),
      template_id: k("template_id"),
      variants,
    });
  }
  return out;
}

/** Rows as the API's StepInput: a step without variants has no `variants`. */
export const stepsInput = (rows: StepRow[]) =>
  rows.map(({ variants, ...r }) => (variants.length ? { ...r, variants } : r));

/** Weights are relative (the API's rule): each variant's share of the step's sends, in percent. */
function shares(variants: StepRow["variants"]) {
  const total = variants.reduce((a, v) => a + v.weight, 0);
  return variants
    .map((v) => `${v.name} ${total > 0 ? Math.round((v.weight / total) * 100) : 0}%`)
    .join(" / ");
}

/** The steps as a tree: entry steps first, each followed by the steps that branch from it. */
export function StepTree(props: { steps: StepRow[]; templates: Map<string, string> }) {
  const roots = props.steps.filter((s) => s.parent_step_order === null);
  const Node: FC<{ s: StepRow }> = (x) => (
    <li>
      <strong>{`${x.s.step_order}. ${x.s.name}`}</strong> <span class="badge">{x.s.trigger}</span>{" "}
      <span class="muted">{`+${x.s.delay_days}d ${x.s.delay_hours}h · ${props.templates.get(x.s.template_id) ?? x.s.template_id}`}</span>
      {x.s.variants.length ? <span class="muted">{` · ${shares(x.s.variants)}`}</span> : null}
      {props.steps.some((c) => c.parent_step_order === x.s.step_order) ? (
        <ul>
          {props.steps
            .filter((c) => c.parent_step_order === x.s.step_order)
            .map((c) => (
              <Node s={c} />
            ))}
        </ul>
      ) : null}
    </li>
  );
  return (
    <ul class="tree">
      {roots.map((s) => (
        <Node s={s} />
      ))}
    </ul>
  );
}

/** The builder: one fieldset per step (existing ones and a blank one to add), variants with weights. */
export function StepsFields(props: {
  steps: StepRow[];
  templates: { id: string; name: string }[];
  errors: ErrorDetail[];
}) {
  const { t } = usePage();
  const nextOrder = Math.max(0, ...props.steps.map((s) => s.step_order)) + 1;
  const rows: StepRow[] = [
    ...props.steps,
    {
      step_order: nextOrder,
      name: "",
      trigger: props.steps.length ? "delay" : "entry",
      parent_step_order: props.steps.at(-1)?.step_order ?? null,
      delay_days: props.steps.length ? 2 : 0,
      delay_hours: 0,
      template_id: "",
      variants: [],
    },
  ];
  const errorsOf = (i: number) =>
    props.errors.filter((e) => e.field === `steps.${i}` || e.field?.startsWith(`steps.${i}.`));
  const TemplateSelect = (x: { id: string; name: string; value: string; label: string }) => (
    <div>
      <label for={x.id}>{x.label}</label>
      <select id={x.id} name={x.name}>
        <option value="">—</option>
        {props.templates.map((tpl) => (
          <option value={tpl.id} selected={tpl.id === x.value}>
            {tpl.name}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      <input type="hidden" name="rows" value={String(rows.length)} />
      {rows.map((s, i) => {
        const id = (x: string) => `s${i}_${x}`;
        const errs = errorsOf(i);
        const variants = [
          ...s.variants,
          ...Array.from({ length: Math.max(0, Math.min(2, MAX_VARIANTS - s.variants.length)) }, () => ({
            name: "",
            template_id: "",
            weight: 0,
          })),
        ];
        return (
          <fieldset class="card">
            <legend>
              {s.name ? `${s.step_order}. ${s.name}` : `${t.scenarios.newStep} (${s.step_order})`}
            </legend>
            {errs.map((e) => (
              <p class="notice error" role="alert">
                {`${e.field}: ${e.message}`}
              </p>
            ))}
            <div class="grid">
              <div>
                <label for={id("step_order")}>#</label>
                <input
                  id={id("step_order")}
                  name={id("step_order")}
                  type="number"
                  min="1"
                  value={String(s.step_order)}
                />
              </div>
              <div>
                <label for={id("name")}>{t.common.name}</label>
                <input id={id("name")} name={id("name")} value={s.name} />
              </div>
              <div>
                <label for={id("trigger")}>{t.scenarios.trigger}</label>
                <select id={id("trigger")} name={id("trigger")}>
                  {STEP_TRIGGERS.map((tr) => (
                    <option value={tr} selected={tr === s.trigger}>
                      {tr}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label for={id("parent_step_order")}>{t.form.parent}</label>
                <input
                  id={id("parent_step_order")}
                  name={id("parent_step_order")}
                  type="number"
                  min="1"
                  value={s.parent_step_order === null ? "" : String(s.parent_step_order)}
                />
              </div>
              <div>
                <label for={id("delay_days")}>{`${t.scenarios.delay} (d)`}</label>
                <input
                  id={id("delay_days")}
                  name={id("delay_days")}
                  type="number"
                  min="0"
                  value={String(s.delay_days)}
                />
              </div>
              <div>
                <label for={id("delay_hours")}>{`${t.scenarios.delay} (h)`}</label>
                <input
                  id={id("delay_hours")}
                  name={id("delay_hours")}
                  type="number"
                  min="0"
                  value={String(s.delay_hours)}
                />
              </div>
              <TemplateSelect
                id={id("template_id")}
                name={id("template_id")}
                value={s.template_id}
                label={t.scenarios.template}
              />
            </div>
            <details open={s.variants.length > 0}>
              <summary>{t.scenarios.variants}</summary>
              {variants.map((v, j) => (
                <div class="row">
                  <div>
                    <label for={id(`v${j}_name`)}>{`${t.common.name} ${j + 1}`}</label>
                    <input id={id(`v${j}_name`)} name={id(`v${j}_name`)} value={v.name} />
                  </div>
                  <TemplateSelect
                    id={id(`v${j}_template_id`)}
                    name={id(`v${j}_template_id`)}
                    value={v.template_id}
                    label={t.scenarios.template}
                  />
                  <div>
                    <label for={id(`v${j}_weight`)}>{`${t.scenarios.weight} (%)`}</label>
                    <input
                      id={id(`v${j}_weight`)}
                      name={id(`v${j}_weight`)}
                      type="number"
                      min="0"
                      max="100"
                      value={v.name ? String(v.weight) : ""}
                    />
                  </div>
                </div>
              ))}
            </details>
          </fieldset>
        );
      })}
    </>
  );
}
