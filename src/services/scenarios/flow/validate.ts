/**
 * The checks a flow passes before it is saved (PUT /scenarios/:id/flow): each problem named by its
 * path (`nodes[3].next`), so the API's 422 and the canvas can show it on the node. Templates and
 * segments are checked against the organization by the caller (flow/store.ts).
 */
import { type FlowInput, type FlowNode, MAX_FLOW_NODES } from "../../../contracts/flow";
import { edgesOf } from "../../../contracts/flow-graph";
import type { ErrorDetail } from "../../../lib/errors";
import { ActionSchema } from "../../rules/definitions";
import { checkCriteria } from "../../segments/criteria-check";

/** Nodes that hold a run for some time: a loop must pass one. */
const WAITS = new Set<FlowNode["type"]>(["wait", "wait_for"]);

const totalMinutes = (d: { days?: unknown; hours?: number; minutes?: number }) =>
  (typeof d.days === "number" ? d.days : 0) * 1440 + (d.hours ?? 0) * 60 + (d.minutes ?? 0);

function checkNode(n: FlowNode, at: string, ids: Map<string, FlowNode>, out: ErrorDetail[]) {
  const add = (field: string, message: string) => out.push({ field: `${at}.${field}`, message });
  switch (n.type) {
    case "email": {
      if (!n.template_id === !n.variants) add("template_id", "give template_id or variants (one of them)");
      const names = (n.variants ?? []).map((v) => v.name);
      if (new Set(names).size !== names.length) add("variants", "variant names must be unique");
      break;
    }
    case "wait": {
      const forms = [
        n.until_attribute !== undefined,
        n.until_time !== undefined,
        n.until_attribute === undefined && n.until_time === undefined,
      ].filter(Boolean).length;
      if (forms !== 1) add("until_time", "a wait is a duration, until_attribute or until_time");
      if (n.until_time !== undefined) {
        if (typeof n.days === "number") add("days", "with until_time, days are days of the week");
        if (n.hours !== undefined || n.minutes !== undefined) add("hours", "until_time takes no duration");
      } else if (Array.isArray(n.days)) add("days", "a number of days (days of the week go with until_time)");
      else if (n.until_attribute === undefined && totalMinutes(n) <= 0)
        add("days", "a wait of at least one minute (days, hours or minutes)");
      if (
        n.until_attribute !== undefined &&
        (n.hours !== undefined || n.minutes !== undefined || n.days !== undefined)
      )
        add("until_attribute", "until_attribute takes offset_days, not a duration");
      break;
    }
    case "wait_for": {
      if (totalMinutes(n.within) <= 0) add("within", "wait at least one minute");
      if (n.node !== undefined) {
        const about = ids.get(n.node);
        if (!about) add("node", `unknown node ${n.node}`);
        else if (about.type !== "email") add("node", "must name an email node");
      }
      if (n.event === "custom" && !n.name) add("name", "a custom event needs its name");
      break;
    }
    case "condition":
      for (const i of checkCriteria(n.criteria)) add(["criteria", ...i.path].join("."), i.message);
      break;
    case "split": {
      const sum = n.paths.reduce((s, p) => s + p.percent, 0);
      if (sum !== 100) add("paths", `percents sum to ${sum}, not 100`);
      const names = n.paths.map((p) => p.name);
      if (new Set(names).size !== names.length) add("paths", "path names must be unique");
      break;
    }
    case "action": {
      const parsed = ActionSchema.safeParse({ ...n.action, delay_minutes: 0 });
      if (!parsed.success && n.action.type !== "notify")
        for (const i of parsed.error.issues) add(["action", ...i.path.map(String)].join("."), i.message);
      if (n.action.type === "notify" && typeof n.action.config.title !== "string")
        add("action.config.title", "a notification needs a title");
      break;
    }
  }
}

/** Node ids that can reach a wait without passing one: a cycle among the others is a loop with no wait. */
function loopWithoutWait(nodes: FlowNode[], ids: Map<string, FlowNode>): string | null {
  const state = new Map<string, 0 | 1 | 2>();
  let found: string | null = null;
  const visit = (id: string) => {
    if (found) return;
    const n = ids.get(id);
    if (!n || WAITS.has(n.type)) return;
    const st = state.get(id) ?? 0;
    if (st === 2) return;
    if (st === 1) {
      found = id;
      return;
    }
    state.set(id, 1);
    for (const e of edgesOf(n)) if (e.to) visit(e.to);
    state.set(id, 2);
  };
  for (const n of nodes) visit(n.id);
  return found;
}

/** Every problem of a flow's shape (ids, edges, reachability, loops, node settings), with its path. */
export function flowIssues(f: FlowInput): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (f.nodes.length > MAX_FLOW_NODES)
    out.push({ field: "nodes", message: `at most ${MAX_FLOW_NODES} nodes (there are ${f.nodes.length})` });
  const ids = new Map<string, FlowNode>();
  f.nodes.forEach((n, i) => {
    if (ids.has(n.id)) out.push({ field: `nodes[${i}].id`, message: `duplicate node id ${n.id}` });
    else ids.set(n.id, n);
  });
  if (!ids.has(f.start)) out.push({ field: "start", message: `unknown node ${f.start}` });
  f.nodes.forEach((n, i) => {
    for (const e of edgesOf(n)) {
      if (e.to === undefined) {
        if (n.type === "wait_for" || n.type === "condition")
          out.push({
            field: `nodes[${i}].${e.field}`,
            message: "missing branch (an exit node ends the run)",
          });
        else if (n.type === "split") out.push({ field: `nodes[${i}].${e.field}`, message: "missing branch" });
      } else if (!ids.has(e.to))
        out.push({ field: `nodes[${i}].${e.field}`, message: `unknown node ${e.to}` });
    }
    checkNode(n, `nodes[${i}]`, ids, out);
  });
  // Reachability from the start.
  const reached = new Set<string>();
  const stack = ids.has(f.start) ? [f.start] : [];
  while (stack.length) {
    const id = stack.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    const n = ids.get(id);
    if (n) for (const e of edgesOf(n)) if (e.to && ids.has(e.to)) stack.push(e.to);
  }
  f.nodes.forEach((n, i) => {
    if (ids.get(n.id) === n && !reached.has(n.id))
      out.push({ field: `nodes[${i}]`, message: `unreachable from the start (${n.id})` });
  });
  const loop = loopWithoutWait(f.nodes, ids);
  if (loop) {
    const i = f.nodes.findIndex((n) => n.id === loop);
    out.push({ field: `nodes[${i}]`, message: `a loop through ${loop} with no wait or wait_for on it` });
  }
  // Entry, re-entry, goal.
  if (f.entry.type === "event") {
    if (f.entry.event === "tag_added" && !f.entry.tag)
      out.push({ field: "entry.tag", message: "the tag to wait for" });
    if (f.entry.event === "score_reached" && f.entry.threshold === undefined)
      out.push({ field: "entry.threshold", message: "the score to reach" });
    if (f.entry.event === "custom" && !f.entry.name)
      out.push({ field: "entry.name", message: "the custom event's name" });
  }
  if (f.reentry?.policy === "after_days" && !f.reentry.days)
    out.push({ field: "reentry.days", message: "after_days needs days" });
  if (f.goal && "criteria" in f.goal)
    for (const i of checkCriteria(f.goal.criteria))
      out.push({ field: ["goal", "criteria", ...i.path].join("."), message: i.message });
  if (f.goal && "event" in f.goal && f.goal.event === "custom" && !f.goal.name)
    out.push({ field: "goal.name", message: "a custom event needs its name" });
  return out;
}
