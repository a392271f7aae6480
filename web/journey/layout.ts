/**
 * Where each node goes on the canvas: top to bottom with dagre, the entry first. Positions the
 * marketer moved are kept in the journey's `layout`; nodes without one are laid out.
 */
import dagre from "@dagrejs/dagre";
import { edgesOf } from "../../src/contracts/flow-graph";
import { ENTRY } from "./model";
import type { Draft } from "./types";

export const NODE_W = 220;
export const NODE_H = 96;

export function autoLayout(d: Draft): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 60, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  g.setNode(ENTRY, { width: NODE_W, height: 64 });
  for (const n of d.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  if (d.start && d.nodes.some((n) => n.id === d.start)) g.setEdge(ENTRY, d.start);
  for (const n of d.nodes) for (const e of edgesOf(n)) if (e.to && g.hasNode(e.to)) g.setEdge(n.id, e.to);
  dagre.layout(g);
  const out: Record<string, { x: number; y: number }> = {};
  for (const id of g.nodes()) {
    const p = g.node(id);
    if (p) out[id] = { x: Math.round(p.x - NODE_W / 2), y: Math.round(p.y - (p.height ?? NODE_H) / 2) };
  }
  return out;
}

/** Saved positions where there are some, the automatic layout for the rest. */
export function positions(d: Draft): Record<string, { x: number; y: number }> {
  const auto = autoLayout(d);
  return { ...auto, ...(d.layout ?? {}) };
}
