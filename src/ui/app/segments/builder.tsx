import type { ErrorDetail } from "../../../lib/errors";
import { FIELD_NAMES, OPERATORS } from "../../../services/segments/fields";
import { Notice } from "../components";
import { Csrf, usePage } from "../layout";

export interface Draft {
  name: string;
  logic: "and" | "or";
  rows: { field: string; operator: string; value: string }[];
  json: string;
}

export function Builder(props: {
  d: Draft;
  action: string;
  errors: ErrorDetail[];
  preview: { count: number; sample: string[] } | null;
}) {
  const p = usePage();
  const { d } = props;
  const { t } = p;
  return (
    <form method="post" action={props.action} data-live-count>
      <Csrf />
      {props.errors.length ? (
        <Notice kind="error">{props.errors.map((e) => `${e.field ?? ""}: ${e.message}`).join("; ")}</Notice>
      ) : null}
      <label for="name">{t.common.name}</label>
      <input id="name" name="name" value={d.name} required />
      <label for="logic">{t.form.logic}</label>
      <select id="logic" name="logic">
        <option value="and" selected={d.logic === "and"}>
          {t.form.logicAnd}
        </option>
        <option value="or" selected={d.logic === "or"}>
          {t.form.logicOr}
        </option>
      </select>
      {d.rows.map((r, i) => (
        <div class="row">
          <div>
            <label for={`c${i}_field`}>{`${t.form.field} ${i + 1}`}</label>
            <select id={`c${i}_field`} name={`c${i}_field`}>
              <option value="">—</option>
              {FIELD_NAMES.filter((f) => !f.includes("<")).map((f) => (
                <option value={f} selected={f === r.field}>
                  {f}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for={`c${i}_operator`}>{t.form.operator}</label>
            <select id={`c${i}_operator`} name={`c${i}_operator`}>
              <option value="">—</option>
              {OPERATORS.map((o) => (
                <option value={o} selected={o === r.operator}>
                  {o}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for={`c${i}_value`}>{t.form.value}</label>
            <input id={`c${i}_value`} name={`c${i}_value`} value={r.value} />
          </div>
        </div>
      ))}
      <details open={!!d.json}>
        <summary>{t.segments.criteria}</summary>
        <textarea id="criteria_json" name="criteria_json" rows={8} aria-label={t.segments.criteria}>
          {d.json}
        </textarea>
      </details>
      <div class="row">
        <button type="submit" class="secondary" name="do" value="count">
          {t.segments.count}
        </button>
        <button type="submit" name="do" value="save">
          {t.common.save}
        </button>
      </div>
      <section class="card" aria-live="polite" hidden={!props.preview}>
        <p>
          {t.segments.count}:{" "}
          <span class="figure" id="segment-count">
            {props.preview?.count ?? ""}
          </span>
        </p>
        <p class="muted">
          {`${t.segments.sample}: `}
          <span id="segment-sample">{props.preview?.sample.join(", ") ?? ""}</span>
        </p>
      </section>
    </form>
  );
}
