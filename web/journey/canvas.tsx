/**
 * The journey drawn as a graph (React Flow, through preact/compat): the entry on top, each node a
 * box with its counts and its outgoing handles (next, yes/no, a split's paths), edges labelled.
 * Drag a node to move it, drag from a handle to a node to connect, select and press Delete to
 * remove, scroll or pinch to zoom, drag the background to pan.
 */
import {
  Background,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node as RFNode,
  type NodeProps,
  Position,
  ReactFlow,
  useReactFlow,
} from "@xyflow/react";
import { useEffect, useMemo, useState } from "preact/hooks";
import { edgesOf } from "../../src/contracts/flow-graph";
import { countsOf, describe } from "./describe";
import { ENTRY, outLabel } from "./model";
import { positions } from "./layout";
import type { Draft, EditorData, Node } from "./types";

interface BoxData extends Record<string, unknown> {
  node: Node | null;
  title: string;
  line: string;
  counts: string;
  issues: string[];
  start: boolean;
  outs: { field: string; label: string }[];
  kind: string;
}

function Box(props: NodeProps<RFNode<BoxData>>) {
  const d = props.data;
  const id = d.node?.id ?? ENTRY;
  return (
    <div
      class={`jn jn-${d.kind}${props.selected ? " is-selected" : ""}${d.issues.length ? " has-issue" : ""}`}
      data-node-id={id}
      data-node-type={d.kind}
    >
      {d.node ? <Handle type="target" position={Position.Top} id="in" /> : null}
      <div class="jn-head">
        <span class="jn-kind">{d.title}</span>
        {d.start ? <span class="jn-start">▶</span> : null}
        <span class="jn-id">{d.node ? id : ""}</span>
      </div>
      <div class="jn-line">{d.line}</div>
      {d.counts ? (
        <div class="jn-counts" data-counts>
          {d.counts}
        </div>
      ) : null}
      {d.issues.length ? (
        <div class="jn-issue" role="note">
          {d.issues[0]}
          {d.issues.length > 1 ? ` (+${d.issues.length - 1})` : ""}
        </div>
      ) : null}
      <div class="jn-outs">
        {d.outs.map((o, i) => (
          <span class="jn-out" key={o.field}>
            {o.label}
            <Handle
              type="source"
              position={Position.Bottom}
              id={o.field}
              style={{ left: `${((i + 1) * 100) / (d.outs.length + 1)}%` }}
            />
          </span>
        ))}
      </div>
    </div>
  );
}

const nodeTypes = { box: Box };
const FIT = { padding: 0.15, maxZoom: 1 };

/** When boxes are added or removed, the view fits them all again (a new box is never off screen). */
function FitOnChange(props: { count: number }) {
  const flow = useReactFlow();
  useEffect(() => {
    const timer = setTimeout(() => flow.fitView(FIT), 60);
    return () => clearTimeout(timer);
  }, [props.count, flow]);
  return null;
}

export function Canvas(props: {
  draft: Draft;
  data: EditorData;
  stats: EditorData["stats"];
  issues: Map<string, string[]>;
  selected: string | null;
  onSelect: (id: string | null) => void;
  onConnect: (from: string, field: string, to: string) => void;
  onDisconnect: (from: string, field: string) => void;
  onDelete: (ids: string[]) => void;
  /** A box dragged (`done` when dropped; a drop may come without a position). */
  onMove: (id: string, at: { x: number; y: number } | undefined, done: boolean) => void;
}) {
  const { draft, data, stats, issues } = props;
  const { t } = data;
  const pos = useMemo(() => positions(draft), [draft]);
  // React Flow measures each box; the sizes are kept here (the boxes themselves come from the draft).
  const [sizes, setSizes] = useState<Record<string, { width: number; height: number }>>({});
  const nodes: RFNode<BoxData>[] = useMemo(() => {
    const entry = draft.entry;
    const entryLine =
      entry.type === "event"
        ? `${t.entryEvent}: ${t.events[entry.event] ?? entry.event}${entry.name ? ` "${entry.name}"` : ""}${entry.tag ? ` "${entry.tag}"` : ""}`
        : entry.type === "date"
          ? `${t.entryDate}: ${entry.attribute}${entry.yearly ? ` (${t.yearly})` : ""}`
          : entry.type === "segment"
            ? `${t.entrySegment}: ${data.segments.find((s) => s.id === entry.segment_id)?.name ?? t.allContacts}`
            : t.entryManual;
    const list: RFNode<BoxData>[] = [
      {
        id: ENTRY,
        type: "box",
        position: pos[ENTRY] ?? { x: 0, y: 0 },
        deletable: false,
        selected: props.selected === ENTRY,
        data: {
          node: null,
          kind: "entry",
          title: t.entry,
          line: entryLine,
          counts: `${t.runs} ${stats.runs} · ${t.converted} ${stats.converted}`,
          issues: [],
          start: false,
          outs: [{ field: "start", label: "" }],
        },
      },
    ];
    for (const n of draft.nodes)
      list.push({
        id: n.id,
        type: "box",
        position: pos[n.id] ?? { x: 0, y: 0 },
        selected: props.selected === n.id,
        data: {
          node: n,
          kind: n.type,
          title: t.types[n.type] ?? n.type,
          line: describe(n, data),
          counts: countsOf(n, stats.nodes[n.id], t),
          issues: issues.get(n.id) ?? [],
          start: draft.start === n.id,
          outs:
            n.type === "parallel"
              ? [
                  ...n.paths.map((_, i) => ({ field: `paths[${i}]`, label: `${i + 1}` })),
                  { field: `paths[${n.paths.length}]`, label: "+" },
                ]
              : edgesOf(n).map((e) => ({ field: e.field, label: outLabel(n, e.field, t) })),
        },
      });
    return list.map((n) => ({ ...n, measured: sizes[n.id] }));
  }, [draft, pos, stats, issues, props.selected, data, t, sizes]);

  const edges: Edge[] = useMemo(() => {
    const list: Edge[] = [];
    if (draft.start && draft.nodes.some((n) => n.id === draft.start))
      list.push({
        id: `${ENTRY}:start`,
        source: ENTRY,
        sourceHandle: "start",
        target: draft.start,
        targetHandle: "in",
        deletable: false,
        markerEnd: { type: MarkerType.ArrowClosed },
      });
    const ids = new Set(draft.nodes.map((n) => n.id));
    for (const n of draft.nodes)
      for (const e of edgesOf(n))
        if (e.to && ids.has(e.to))
          list.push({
            id: `${n.id}:${e.field}`,
            source: n.id,
            sourceHandle: e.field,
            target: e.to,
            targetHandle: "in",
            label: outLabel(n, e.field, t) || undefined,
            markerEnd: { type: MarkerType.ArrowClosed },
            className: e.field === "no" ? "edge-no" : e.field === "yes" ? "edge-yes" : undefined,
          });
    return list;
  }, [draft, t]);

  return (
    <section class="journey-canvas" aria-label={t.canvasLabel}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={FIT}
        minZoom={0.2}
        maxZoom={2}
        deleteKeyCode={["Delete", "Backspace"]}
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_, n) => props.onSelect(n.id)}
        onPaneClick={() => props.onSelect(null)}
        onConnect={(c) => {
          if (c.source && c.target && c.sourceHandle) props.onConnect(c.source, c.sourceHandle, c.target);
        }}
        onEdgesDelete={(es) => {
          for (const e of es) if (e.sourceHandle) props.onDisconnect(e.source, e.sourceHandle);
        }}
        onNodesDelete={(ns) => props.onDelete(ns.map((n) => n.id).filter((id) => id !== ENTRY))}
        onNodesChange={(changes) => {
          const measured: Record<string, { width: number; height: number }> = {};
          for (const c of changes) {
            if (c.type === "dimensions" && c.dimensions) measured[c.id] = c.dimensions;
            else if (c.type === "position") props.onMove(c.id, c.position, !c.dragging);
            else if (c.type === "select" && c.selected) props.onSelect(c.id);
          }
          if (Object.keys(measured).length) setSizes((s) => ({ ...s, ...measured }));
        }}
        ariaLabelConfig={{ "controls.ariaLabel": t.zoomControls }}
      >
        <FitOnChange count={nodes.length} />
        <Background gap={24} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </section>
  );
}
