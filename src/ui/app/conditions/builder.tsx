import { usePage } from "../layout";
import { type Group, type Leaf, MAX_FORM_DEPTH, prefixOf } from "./tree";

/**
 * The condition builder: nested groups of rows (field, operator, value), each with its buttons.
 * The buttons submit the form with `do=add:<prefix>` / `group:` / `remove:`; the page re-renders the
 * draft edited, so it works without a script and keeps what was typed. Field names: see tree.ts.
 */
/**
 * The first submit button of a form is what Enter in a field presses: without this one it would be
 * the first builder button (add or remove). Hidden: out of sight, of the tab order and of the
 * accessibility tree, yet still the form's default button.
 */
export const DefaultSubmit = (props: { value: string; label: string }) => (
  <button type="submit" name="do" value={props.value} hidden>
    {props.label}
  </button>
);

export function ConditionBuilder(props: { root: Group; fields: string[]; operators: readonly string[] }) {
  const { t } = usePage();
  return (
    <div class="conditions">
      <datalist id="condition-fields">
        {props.fields.map((f) => (
          <option value={f} />
        ))}
      </datalist>
      <GroupBox g={props.root} path={[]} operators={props.operators} />
      <p class="muted">{t.builders.listHint}</p>
    </div>
  );
}

function GroupBox(props: { g: Group; path: number[]; operators: readonly string[] }) {
  const { t } = usePage();
  const b = t.builders;
  const p = prefixOf(props.path);
  const logicName = props.path.length ? `${p}_logic` : "logic";
  const label = props.path.length ? `${b.group} ${props.path.map((i) => i + 1).join(".")}` : b.match;
  const inner = (
    <>
      <label for={logicName}>{props.path.length ? `${b.match} (${label})` : b.match}</label>
      <select id={logicName} name={logicName}>
        <option value="and" selected={props.g.logic === "and"}>
          {t.form.logicAnd}
        </option>
        <option value="or" selected={props.g.logic === "or"}>
          {t.form.logicOr}
        </option>
      </select>
      {props.g.children.length ? null : <p class="muted">{b.noConditions}</p>}
      {props.g.children.map((n, i) =>
        n.kind === "group" ? (
          <GroupBox g={n} path={[...props.path, i]} operators={props.operators} />
        ) : (
          <LeafRow leaf={n} path={[...props.path, i]} operators={props.operators} />
        ),
      )}
      <div class="row">
        <button type="submit" class="secondary small" name="do" value={`add:${p}`}>
          {`+ ${b.addCondition}`}
        </button>
        {props.path.length + 1 < MAX_FORM_DEPTH ? (
          <button type="submit" class="secondary small" name="do" value={`group:${p}`}>
            {`+ ${b.addGroup}`}
          </button>
        ) : null}
        {props.path.length ? (
          <button type="submit" class="secondary small" name="do" value={`remove:${p}`}>
            {`${b.removeGroup} (${label})`}
          </button>
        ) : null}
      </div>
    </>
  );
  // The root is the section itself (its heading names it); nested groups are framed and named.
  return props.path.length ? (
    <fieldset class="group" data-group={p}>
      <legend>{label}</legend>
      {inner}
    </fieldset>
  ) : (
    <div class="group root" data-group={p}>
      {inner}
    </div>
  );
}

function LeafRow(props: { leaf: Leaf; path: number[]; operators: readonly string[] }) {
  const { t } = usePage();
  const p = prefixOf(props.path);
  const n = props.path.map((i) => i + 1).join(".");
  return (
    <div class="row condition" data-condition={p}>
      <div>
        <label for={`${p}_field`}>{`${t.form.field} ${n}`}</label>
        <input id={`${p}_field`} name={`${p}_field`} value={props.leaf.field} list="condition-fields" />
      </div>
      <div>
        <label for={`${p}_operator`}>{`${t.form.operator} ${n}`}</label>
        <select id={`${p}_operator`} name={`${p}_operator`}>
          <option value="">—</option>
          {props.operators.map((o) => (
            <option value={o} selected={o === props.leaf.operator}>
              {o}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for={`${p}_value`}>{`${t.form.value} ${n}`}</label>
        <input id={`${p}_value`} name={`${p}_value`} value={props.leaf.value} />
      </div>
      <button type="submit" class="secondary small" name="do" value={`remove:${p}`}>
        {`${t.builders.removeCondition} ${n}`}
      </button>
    </div>
  );
}
