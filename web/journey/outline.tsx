/**
 * The journey as an outline: an ordered list from the entry, a chain of nodes one after the other,
 * each branch (yes / no / a split's paths) a nested list. Everything the canvas does is a button
 * or a select here: select a node to edit it in the panel, add a node on a free branch, delete
 * one. Keyboard only, and what a screen reader reads.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { edgesOf } from "../../src/contracts/flow-graph";
import { countsOf, describe } from "./describe";
import { ENTRY, outLabel } from "./model";
import type { Draft, EditorData, NodeType } from "./types";

const TYPES: NodeType[] = ["email", "wait_for", "wait", "condition", "action", "sms", "split", "exit"];

function AddHere(props: {
  from: string;
  field: string;
  label: string;
  data: EditorData;
  onAdd: (type: NodeType, from: string, field: string) => void;
}) {
  const [type, setType] = useState<NodeType>("email");
  const { t } = props.data;
  const id = `add-${props.from}-${props.field}`.replace(/[^A-Za-z0-9_-]/g, "_");
  return (
    <span class="ol-add">
      <label for={id} class="sr">
        {`${t.addAfter} ${props.from}${props.label ? ` (${props.label})` : ""}`}
      </label>
      <select
        id={id}
        value={type}
        onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value as NodeType)}
      >
        {TYPES.map((x) => (
          <option value={x} key={x}>
            {t.types[x]}
          </option>
        ))}
      </select>
      <button
        type="button"
        class="secondary small"
        onClick={() => props.onAdd(type, props.from, props.field)}
      >
        {t.add}
      </button>
    </span>
  );
}

export function Outline(props: {
  draft: Draft;
  data: EditorData;
  stats: EditorData["stats"];
  issues: Map<string, string[]>;
  selected: string | null;
  onSelect: (id: string) => void;
  onAdd: (type: NodeType, from: string, field: string) => void;
  onDelete: (id: string) => void;
}) {
  const { draft, data, stats } = props;
  const { t } = data;
  const byId = new Map(draft.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();

  const item = (id: string): JSX.Element | null => {
    const n = byId.get(id);
    if (!n) return null;
    seen.add(id);
    const outs = n.type === "parallel" ? n.paths.map((to, i) => ({ field: `paths[${i}]`, to })) : edgesOf(n);
    const issues = props.issues.get(id) ?? [];
    const single = outs.length === 1 && n.type !== "split" && n.type !== "parallel";
    const next = single ? outs[0]?.to : undefined;
    const chainOn = next && byId.has(next) && !seen.has(next);
    return (
      <>
        <li
          data-node-id={id}
          data-node-type={n.type}
          class={props.selected === id ? "is-selected" : undefined}
        >
          <button
            type="button"
            class="ol-node"
            aria-pressed={props.selected === id}
            onClick={() => props.onSelect(id)}
          >
            <span class="ol-kind">{t.types[n.type]}</span> <code>{id}</code> {describe(n, data)}
          </button>
          <span class="ol-counts">{countsOf(n, stats.nodes[id], t)}</span>
          {issues.length ? (
            <span class="ol-issue" role="note">
              {issues.join("; ")}
            </span>
          ) : null}
          <button
            type="button"
            class="link small"
            onClick={() => props.onDelete(id)}
            aria-label={`${t.deleteNode} ${id}`}
          >
            {t.delete}
          </button>
          {single ? null : (
            <ol class="ol-branches">
              {outs.map((o) => (
                <li key={o.field} class="ol-branch">
                  <span class="ol-branch-label">{outLabel(n, o.field, t) || t.next}</span>
                  {o.to && byId.has(o.to) ? (
                    seen.has(o.to) ? (
                      <span class="ol-goto">
                        → <code>{o.to}</code>
                      </span>
                    ) : (
                      <ol>{item(o.to)}</ol>
                    )
                  ) : (
                    <AddHere
                      from={id}
                      field={o.field}
                      label={outLabel(n, o.field, t)}
                      data={data}
                      onAdd={props.onAdd}
                    />
                  )}
                </li>
              ))}
              {n.type === "parallel" ? (
                <li class="ol-branch">
                  <AddHere
                    from={id}
                    field={`paths[${n.paths.length}]`}
                    label="+"
                    data={data}
                    onAdd={props.onAdd}
                  />
                </li>
              ) : null}
            </ol>
          )}
          {single && !next && n.type !== "exit" ? (
            <div class="ol-then">
              <AddHere from={id} field={outs[0]?.field ?? "next"} label="" data={data} onAdd={props.onAdd} />
            </div>
          ) : null}
          {single && next && !chainOn && byId.has(next) ? (
            <span class="ol-goto">
              → <code>{next}</code>
            </span>
          ) : null}
        </li>
        {chainOn ? item(next) : null}
      </>
    );
  };

  const startOk = byId.has(draft.start);
  const body = startOk ? item(draft.start) : null;
  const loose = draft.nodes.filter((n) => !seen.has(n.id));
  return (
    <section class="outline" aria-labelledby="outline-title">
      <h3 id="outline-title">{t.outline}</h3>
      <ol class="ol-root">
        <li
          data-node-id={ENTRY}
          data-node-type="entry"
          class={props.selected === ENTRY ? "is-selected" : undefined}
        >
          <button
            type="button"
            class="ol-node"
            aria-pressed={props.selected === ENTRY}
            onClick={() => props.onSelect(ENTRY)}
          >
            <span class="ol-kind">{t.entry}</span> {t.journeySettings}
          </button>
          <span class="ol-counts">{`${t.runs} ${stats.runs} · ${t.converted} ${stats.converted}`}</span>
          {startOk ? null : (
            <div class="ol-then">
              <AddHere from={ENTRY} field="start" label="" data={data} onAdd={props.onAdd} />
            </div>
          )}
        </li>
        {body}
      </ol>
      {loose.length ? (
        <>
          <h4>{t.notConnected}</h4>
          <ul class="ol-loose">{loose.map((n) => (seen.has(n.id) ? null : item(n.id)))}</ul>
        </>
      ) : null}
    </section>
  );
}
