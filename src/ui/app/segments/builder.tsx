import type { ErrorDetail } from "../../../lib/errors";
import { FIELD_NAMES, OPERATORS } from "../../../services/segments/fields";
import { Notice } from "../components";
import { ConditionBuilder, DefaultSubmit } from "../conditions/builder";
import { JsonDisclosure } from "../conditions/json-disclosure";
import type { Group } from "../conditions/tree";
import { Csrf, usePage } from "../layout";

export interface Draft {
  name: string;
  root: Group;
  /** Criteria pasted in the JSON disclosure: when filled, they replace the builder's. */
  json: string;
}

/** Suggestions for the field box: the named fields, and the start of the open-ended ones. */
const SEGMENT_FIELDS = FIELD_NAMES.map((f) => f.replace(/<\w+>$/, ""));

export function Builder(props: {
  d: Draft;
  action: string;
  errors: ErrorDetail[];
  preview: { count: number; sample: string[] } | null;
  /** The criteria the builder stands for now, shown in the JSON disclosure. */
  current: unknown;
}) {
  const p = usePage();
  const { d } = props;
  const { t } = p;
  return (
    <form method="post" action={props.action} data-live-count>
      <Csrf />
      <DefaultSubmit value="save" label={t.common.save} />
      {props.errors.length ? (
        <Notice kind="error">{props.errors.map((e) => `${e.field ?? ""}: ${e.message}`).join("; ")}</Notice>
      ) : null}
      <label for="name">{t.common.name}</label>
      <input id="name" name="name" value={d.name} required />
      <h2>{t.rules.conditions}</h2>
      <ConditionBuilder root={d.root} fields={SEGMENT_FIELDS} operators={OPERATORS} />
      <JsonDisclosure name="criteria_json" current={props.current} pasted={d.json} />
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
