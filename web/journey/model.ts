/**
 * Edits of a journey draft, as pure functions: add a node (connected to a free branch), connect,
 * disconnect, change, delete. The canvas, the outline and the side panel all edit through these.
 */
import { edgesOf } from "../../src/contracts/flow-graph";
import type { Draft, Node, NodeType } from "./types";

/** The entry, drawn as the first node of the canvas; connecting from it sets `start`. */
export const ENTRY = "__entry";

export { clone } from "../shared/history";

export const nodeOf = (d: Draft, id: string) => d.nodes.find((n) => n.id === id);

/** A fresh id for a node of this type: email-1, email-2 ... */
export function newId(d: Draft, type: NodeType): string {
  const used = new Set(d.nodes.map((n) => n.id));
  for (let i = 1; ; i++)
    if (!used.has(`${type.replace("_", "-")}-${i}`)) return `${type.replace("_", "-")}-${i}`;
}

/** A node of the type with sensible defaults (the panel fills in the rest). */
export function blank(type: NodeType, id: string, firstTemplate: string | undefined): Node {
  switch (type) {
    case "email":
      return { id, type, template_id: firstTemplate ?? "" };
    case "sms":
      return { id, type, content: "", sender: "" };
    case "wait":
      return { id, type, days: 1 };
    case "wait_for":
      return { id, type, event: "clicked", within: { days: 2 } };
    case "condition":
      return {
        id,
        type,
        criteria: { logic: "and", conditions: [{ field: "tags", operator: "contains", value: "" }] },
      };
    case "split":
      return {
        id,
        type,
        paths: [
          { name: "A", percent: 50 },
          { name: "B", percent: 50 },
        ],
      };
    case "parallel":
      return { id, type, paths: [] as unknown as [string] };
    case "action":
      return { id, type, action: { type: "add_tag", config: { tag: "" } } };
    case "exit":
      return { id, type };
  }
}

/** Set the target of one outgoing field (`next`, `yes`, `paths[1].next`, `paths[0]`), or clear it. */
export function setEdge(n: Node, field: string, to: string | undefined): void {
  const m = /^paths\[(\d+)\](\.next)?$/.exec(field);
  if (m && (n.type === "split" || n.type === "parallel")) {
    const i = Number(m[1]);
    if (n.type === "split") {
      const p = n.paths[i];
      if (p) p.next = to;
    } else if (to) n.paths[i] = to;
    else n.paths.splice(i, 1);
    return;
  }
  const rec = n as unknown as Record<string, unknown>;
  if (to === undefined) delete rec[field];
  else rec[field] = to;
}

/** The free outgoing fields of a node (where a new node would be attached). */
export function freeOuts(n: Node): string[] {
  if (n.type === "parallel") return [`paths[${n.paths.length}]`];
  return edgesOf(n)
    .filter((e) => !e.to)
    .map((e) => e.field);
}

/**
 * Add a node of `type`; attached to `from`'s field (or its first free one) when given, else to
 * the end of nothing (an unconnected node the checks will point at). Answers the new id.
 */
export function addNode(
  d: Draft,
  type: NodeType,
  firstTemplate: string | undefined,
  from?: { id: string; field?: string },
): string {
  const id = newId(d, type);
  const node = blank(type, id, firstTemplate);
  if (from?.id === ENTRY) {
    // The new node becomes the start; the old start follows it when it can.
    const old = d.start;
    d.nodes.push(node);
    if (old && nodeOf(d, old) && freeOuts(node)[0]) setEdge(node, freeOuts(node)[0] as string, old);
    d.start = id;
    return id;
  }
  d.nodes.push(node);
  const src = from ? nodeOf(d, from.id) : undefined;
  if (src) {
    const field = from?.field ?? freeOuts(src)[0];
    if (field) {
      const previous = edgeTarget(src, field);
      setEdge(src, field, id);
      // Inserted on an existing edge: the new node leads on to where it went.
      const out = freeOuts(node)[0];
      if (previous && out) setEdge(node, out, previous);
    }
  }
  if (d.nodes.length === 1) d.start = id;
  return id;
}

export function edgeTarget(n: Node, field: string): string | undefined {
  return edgesOf(n).find((e) => e.field === field)?.to;
}

/** Delete a node: edges to it are cleared, and the start moves to what followed it. */
export function removeNode(d: Draft, id: string): void {
  const n = nodeOf(d, id);
  if (!n) return;
  const after = edgesOf(n).find((e) => e.to)?.to;
  d.nodes = d.nodes.filter((x) => x.id !== id);
  for (const x of d.nodes) for (const e of edgesOf(x)) if (e.to === id) setEdge(x, e.field, undefined);
  if (d.start === id) d.start = after ?? d.nodes[0]?.id ?? "";
  if (d.layout) delete d.layout[id];
}

/** Connect `from`'s field to `to` (ENTRY: the start). */
export function connect(d: Draft, from: string, field: string, to: string): void {
  if (from === ENTRY) {
    d.start = to;
    return;
  }
  const n = nodeOf(d, from);
  if (n && from !== to) setEdge(n, field, to);
}

/** The label of an outgoing field: yes, no, a split's path name, next. */
export function outLabel(n: Node, field: string, words: Record<string, string>): string {
  if (field === "yes" || field === "no") return words[field] ?? field;
  const m = /^paths\[(\d+)\]/.exec(field);
  if (m && n.type === "split") return n.paths[Number(m[1])]?.name ?? "";
  if (m) return `${Number(m[1]) + 1}`;
  return "";
}

/** The nodes in reading order: from the start, depth first, branches in field order; then the rest. */
export function readingOrder(d: Draft): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const visit = (id: string | undefined) => {
    if (!id || seen.has(id)) return;
    const n = nodeOf(d, id);
    if (!n) return;
    seen.add(id);
    out.push(id);
    for (const e of edgesOf(n)) visit(e.to);
  };
  visit(d.start);
  for (const n of d.nodes) if (!seen.has(n.id)) out.push(n.id);
  return out;
}

/** Issues per node id (a path `nodes[3].next` names the fourth node), the rest apart. */
export function issuesByNode(d: Draft, issues: { field?: string; message: string }[]) {
  const byNode = new Map<string, string[]>();
  const general: string[] = [];
  for (const i of issues) {
    const m = /^nodes\[(\d+)\](?:\.(.*))?$/.exec(i.field ?? "");
    const n = m ? d.nodes[Number(m[1])] : undefined;
    if (n) byNode.set(n.id, [...(byNode.get(n.id) ?? []), m?.[2] ? `${m[2]}: ${i.message}` : i.message]);
    else general.push(i.field ? `${i.field}: ${i.message}` : i.message);
  }
  return { byNode, general };
}
