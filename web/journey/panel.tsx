/**
 * The side panel: the selected node's fields (the same as PUT /flow takes, checked by the same
 * code on the server), where each of its branches goes, and the journey's own settings (entry,
 * re-entry, goal, exits) when the entry is selected.
 */
import { edgesOf } from "../../src/contracts/flow-graph";
import { Group, Select } from "./fields";
import { JourneySettings } from "./journey-settings";
import { ENTRY, edgeTarget, outLabel, setEdge } from "./model";
import { NodeFields } from "./node-fields";
import { editNode, Issues, type Update } from "./panel-kit";
import type { Draft, EditorData } from "./types";

export function Panel(props: {
  draft: Draft;
  data: EditorData;
  selected: string | null;
  issues: string[];
  update: Update;
  onDelete: (id: string) => void;
}) {
  const { draft, data, selected } = props;
  if (selected === ENTRY || !selected) return <JourneySettings {...props} />;
  const n = draft.nodes.find((x) => x.id === selected);
  if (!n) return <JourneySettings {...props} />;
  const { t } = data;
  const others = draft.nodes
    .filter((x) => x.id !== n.id)
    .map((x) => ({ value: x.id, label: `${x.id} · ${t.types[x.type]}` }));
  return (
    <section class="jp" aria-labelledby="jp-title">
      <h3 id="jp-title" tabIndex={-1}>
        {t.types[n.type]} <code>{n.id}</code>
      </h3>
      <Issues list={props.issues} />
      <NodeFields n={n} {...props} />
      {n.type !== "exit" && n.type !== "parallel" ? (
        <Group legend={t.goesTo}>
          {edgesOf(n).map((e) => (
            <Select
              key={e.field}
              name={`out-${e.field}`}
              label={outLabel(n, e.field, t) || t.next}
              value={edgeTarget(n, e.field)}
              empty={t.endsHere}
              options={others}
              onChange={(v) => editNode(props.update, n.id, (x) => setEdge(x, e.field, v || undefined))}
            />
          ))}
        </Group>
      ) : null}
      <div class="jp-actions">
        {draft.start !== n.id ? (
          <button
            type="button"
            class="secondary small"
            onClick={() =>
              props.update((d) => {
                d.start = n.id;
              })
            }
          >
            {t.makeStart}
          </button>
        ) : (
          <span class="muted">{t.isStart}</span>
        )}
        <button type="button" class="danger small" onClick={() => props.onDelete(n.id)}>
          {t.deleteNode}
        </button>
      </div>
    </section>
  );
}
