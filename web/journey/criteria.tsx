/**
 * Segment criteria in the side panel (a condition node, a segment entry, a goal): groups matching
 * all or any of their rows, groups inside groups, as many rows as needed; the JSON behind a
 * disclosure for developers. Every change commits the whole criteria (the check runs on save).
 */
import { Area, Group, Select, Text } from "./fields";
import type { EditorData } from "./types";

/** What the criteria builder reads: the words, the fields and the operators (the block editor hands the same). */
export type CriteriaData = Pick<EditorData, "t" | "fields" | "operators">;

interface CNode {
  logic?: string;
  conditions?: CNode[];
  field?: string;
  operator?: string;
  value?: unknown;
}
type Change = (fn: (root: CNode) => void) => void;

/** Groups nest at most this deep in the panel (the API's limit is 5 levels). */
const MAX_DEPTH = 4;

const nodeAt = (root: CNode, path: number[]): CNode =>
  path.reduce<CNode>((n, i) => (n.conditions?.[i] as CNode) ?? n, root);

const typed = (v: string): unknown => (v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v);

/** Removes the row or group at `path` from its group. */
const Remove = (props: { path: number[]; change: Change; label: string }) => (
  <button
    type="button"
    class="secondary small"
    onClick={() =>
      props.change(
        (r) => void nodeAt(r, props.path.slice(0, -1)).conditions?.splice(props.path.at(-1) as number, 1),
      )
    }
  >
    {props.label}
  </button>
);

export function Criteria(props: {
  value: Record<string, unknown>;
  data: CriteriaData;
  onChange: (c: Record<string, unknown>) => void;
}) {
  const { t } = props.data;
  const v = props.value as CNode;
  const root: CNode = { logic: v.logic ?? "and", conditions: v.conditions ?? [] };
  const change: Change = (fn) => {
    const next = JSON.parse(JSON.stringify(root)) as CNode;
    fn(next);
    props.onChange(next as Record<string, unknown>);
  };
  return (
    <Group legend={t.criteria}>
      <CriteriaGroup node={root} path={[]} data={props.data} change={change} />
      <details>
        <summary>JSON</summary>
        <Area
          label={t.criteria}
          name="criteria-json"
          rows={6}
          value={JSON.stringify(props.value, null, 2)}
          onChange={(s) => {
            try {
              props.onChange(JSON.parse(s));
            } catch {
              // Left as it was: the check names JSON it cannot read.
            }
          }}
        />
      </details>
    </Group>
  );
}

function CriteriaGroup(props: { node: CNode; path: number[]; data: CriteriaData; change: Change }) {
  const { node, path, data, change } = props;
  const { t } = data;
  const key = path.join("-");
  const label = path.length ? `${t.group} ${path.map((i) => i + 1).join(".")}` : "";
  const body = (
    <>
      <Select
        label={path.length ? `${t.logic} (${label})` : t.logic}
        name={`logic-${key}`}
        value={node.logic ?? "and"}
        options={[
          { value: "and", label: t.logicAnd },
          { value: "or", label: t.logicOr },
        ]}
        onChange={(v) =>
          change((r) => {
            nodeAt(r, path).logic = v;
          })
        }
      />
      {(node.conditions ?? []).map((c, i) =>
        Array.isArray(c.conditions) ? (
          <CriteriaGroup key={`${key}-${i}`} node={c} path={[...path, i]} data={data} change={change} />
        ) : (
          <Row key={`${key}-${i}`} c={c} path={[...path, i]} data={data} change={change} />
        ),
      )}
      <div class="row">
        <button
          type="button"
          class="secondary small"
          onClick={() =>
            change((r) => {
              const g = nodeAt(r, path);
              g.conditions = [...(g.conditions ?? []), { field: "tags", operator: "contains", value: "" }];
            })
          }
        >
          {t.addCondition}
        </button>
        {path.length < MAX_DEPTH ? (
          <button
            type="button"
            class="secondary small"
            onClick={() =>
              change((r) => {
                const g = nodeAt(r, path);
                g.conditions = [
                  ...(g.conditions ?? []),
                  { logic: "or", conditions: [{ field: "tags", operator: "contains", value: "" }] },
                ];
              })
            }
          >
            {t.addGroup}
          </button>
        ) : null}
        {path.length ? <Remove path={path} change={change} label={`${t.removeGroup} (${label})`} /> : null}
      </div>
    </>
  );
  return path.length ? (
    <fieldset class="jf-group">
      <legend>{label}</legend>
      {body}
    </fieldset>
  ) : (
    body
  );
}

function Row(props: { c: CNode; path: number[]; data: CriteriaData; change: Change }) {
  const { c, path, data, change } = props;
  const { t } = data;
  const n = path.map((i) => i + 1).join(".");
  const key = path.join("-");
  const set = (fn: (x: CNode) => void) => change((r) => fn(nodeAt(r, path)));
  return (
    <div class="jf-cond">
      <Text
        label={`${t.field} ${n}`}
        name={`cond-field-${key}`}
        value={c.field}
        hint={n === "1" ? t.fieldsHint : undefined}
        onChange={(v) =>
          set((x) => {
            x.field = v;
          })
        }
      />
      <Select
        label={`${t.operator} ${n}`}
        name={`cond-op-${key}`}
        value={c.operator}
        options={data.operators.map((o) => ({ value: o, label: o }))}
        onChange={(v) =>
          set((x) => {
            x.operator = v;
          })
        }
      />
      <Text
        label={`${t.value} ${n}`}
        name={`cond-value-${key}`}
        value={c.value === undefined ? "" : String(c.value)}
        onChange={(v) =>
          set((x) => {
            x.value = typed(v);
          })
        }
      />
      <Remove path={path} change={change} label={`${t.removeCondition} ${n}`} />
    </div>
  );
}
