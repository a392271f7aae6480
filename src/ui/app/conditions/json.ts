/**
 * The condition tree as the API's JSON and back: segment criteria ({logic, conditions}) and rule
 * conditions ({all} / {any} of {field, op, value}). Values typed in the form are read by the field's
 * kind (a number field reads a number; lists are comma-separated); a value that does not read stays
 * text, so that the API's own check names it (one validation per input).
 */
import { fieldSpec } from "../../../services/segments/fields";
import { type Group, guessed, type Leaf, listOf, type Node, numeric, valueText } from "./tree";

const LIST_OPS = ["in", "not_in", "between"];
const NO_VALUE = ["exists", "not_exists"];

function segmentValue(field: string, op: string, raw: string): unknown {
  if (NO_VALUE.includes(op)) return undefined;
  if (op === "within_last_days" || op === "more_than_days_ago") return numeric(raw);
  const kind = fieldSpec(field)?.kind;
  const one = (s: string): unknown =>
    kind === "number"
      ? numeric(s)
      : kind === "boolean"
        ? s === "true"
          ? true
          : s === "false"
            ? false
            : s
        : kind === "attribute"
          ? guessed(s)
          : s;
  return LIST_OPS.includes(op) ? listOf(raw, one) : one(raw.trim());
}

const withValue = (o: Record<string, unknown>, value: unknown) => (value === undefined ? o : { ...o, value });

/** Segment criteria from the builder's (pruned) tree. */
export function criteriaOfTree(g: Group): unknown {
  const node = (n: Node): unknown =>
    n.kind === "group"
      ? { logic: n.logic, conditions: n.children.map(node) }
      : withValue({ field: n.field, operator: n.operator }, segmentValue(n.field, n.operator, n.value));
  return { logic: g.logic, conditions: g.children.map(node) };
}

interface CriteriaNode {
  logic?: string;
  conditions?: CriteriaNode[];
  field?: string;
  operator?: string;
  value?: unknown;
}

const leafOf = (field: unknown, operator: unknown, value: unknown): Leaf => ({
  kind: "leaf",
  field: typeof field === "string" ? field : "",
  operator: typeof operator === "string" ? operator : "",
  value: valueText(value),
});

/** The builder's tree from stored segment criteria. */
export function treeOfCriteria(c: unknown): Group {
  const node = (n: CriteriaNode): Node =>
    Array.isArray(n.conditions)
      ? { kind: "group", logic: n.logic === "or" ? "or" : "and", children: n.conditions.map(node) }
      : leafOf(n.field, n.operator, n.value);
  const root = (c ?? {}) as CriteriaNode;
  return {
    kind: "group",
    logic: root.logic === "or" ? "or" : "and",
    children: Array.isArray(root.conditions) ? root.conditions.map(node) : [],
  };
}

/** Contact fields whose values are text in a rule condition; `score` is a number; others are guessed. */
const RULE_TEXT_FIELDS = [
  "tags",
  "lifecycle_stage",
  "status",
  "email",
  "first_name",
  "last_name",
  "phone",
  "timezone",
];

function ruleValue(field: string, op: string, raw: string): unknown {
  if (NO_VALUE.includes(op)) return undefined;
  const one = (s: string): unknown =>
    RULE_TEXT_FIELDS.includes(field) ? s : field === "score" ? numeric(s) : guessed(s);
  if (op === "in" || op === "not_in") return listOf(raw, one);
  if (["gt", "gte", "lt", "lte"].includes(op)) return numeric(raw.trim());
  return one(raw.trim());
}

/** Rule conditions from the builder's (pruned) tree; no condition is `{}` (always matches). */
export function conditionsOfTree(g: Group): unknown {
  const node = (n: Node): unknown =>
    n.kind === "group"
      ? { [n.logic === "or" ? "any" : "all"]: n.children.map(node) }
      : withValue({ field: n.field, op: n.operator }, ruleValue(n.field, n.operator, n.value));
  return g.children.length ? node(g) : {};
}

/** The builder's tree from stored rule conditions (a lone leaf becomes a group of one). */
export function treeOfConditions(c: unknown): Group {
  const node = (n: Record<string, unknown>): Node => {
    const list = Array.isArray(n.all) ? n.all : Array.isArray(n.any) ? n.any : null;
    return list
      ? { kind: "group", logic: Array.isArray(n.any) ? "or" : "and", children: list.map(node) }
      : leafOf(n.field, n.op, n.value);
  };
  const root =
    c && typeof c === "object" && Object.keys(c).length ? node(c as Record<string, unknown>) : null;
  if (!root || (root.kind === "group" && !root.children.length))
    return { kind: "group", logic: "and", children: [] };
  return root.kind === "group" ? root : { kind: "group", logic: "and", children: [root] };
}
