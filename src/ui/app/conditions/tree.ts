/**
 * The condition builder's draft: a tree of groups (all / any) and leaves (field, operator, value as
 * typed), read from and written to plain form fields so that the builder works without a script.
 * Field names follow the node's path: the root group's logic is `logic`; the node at [1, 0] is
 * `c1_0_*` (a leaf has `_field`, `_operator`, `_value`; a group has `_logic`). The segment builder
 * and the rule builder share it; each turns the tree into its own JSON (criteria / conditions).
 */

export interface Leaf {
  kind: "leaf";
  field: string;
  operator: string;
  value: string;
}
export interface Group {
  kind: "group";
  logic: "and" | "or";
  children: Node[];
}
export type Node = Leaf | Group;

/** Deeper than the API allows is refused there; the form stops offering groups at this depth. */
export const MAX_FORM_DEPTH = 5;
const MAX_FORM_NODES = 200;

export const emptyLeaf = (): Leaf => ({ kind: "leaf", field: "", operator: "", value: "" });
export const emptyRoot = (): Group => ({ kind: "group", logic: "and", children: [emptyLeaf()] });

/** The form-field prefix of the node at `path` ("c1_0"); the root's is "c". */
export const prefixOf = (path: number[]) => (path.length ? `c${path.join("_")}` : "c");

interface Raw {
  attrs: Record<string, string>;
  kids: Map<number, Raw>;
}
const FIELD_RE = /^c(\d{1,3}(?:_\d{1,3}){0,5})_(field|operator|value|logic)$/;

/** The tree the form describes (empty leaves kept, so that an added row stays on the page). */
export function treeFromForm(form: Record<string, unknown>): Group {
  const root: Raw = { attrs: {}, kids: new Map() };
  let nodes = 0;
  for (const [key, value] of Object.entries(form)) {
    const m = FIELD_RE.exec(key);
    if (!m || typeof value !== "string" || nodes > MAX_FORM_NODES) continue;
    let at = root;
    for (const i of (m[1] as string).split("_").map(Number)) {
      let next = at.kids.get(i);
      if (!next) {
        next = { attrs: {}, kids: new Map() };
        at.kids.set(i, next);
        nodes++;
      }
      at = next;
    }
    at.attrs[m[2] as string] = value;
  }
  const build = (r: Raw): Node =>
    r.attrs.logic !== undefined || r.kids.size
      ? {
          kind: "group",
          logic: r.attrs.logic === "or" ? "or" : "and",
          children: [...r.kids.entries()].sort((a, b) => a[0] - b[0]).map(([, k]) => build(k)),
        }
      : {
          kind: "leaf",
          field: (r.attrs.field ?? "").trim(),
          operator: r.attrs.operator ?? "",
          value: r.attrs.value ?? "",
        };
  const logic = form.logic === "or" ? "or" : "and";
  const children = [...root.kids.entries()].sort((a, b) => a[0] - b[0]).map(([, k]) => build(k));
  return { kind: "group", logic, children };
}

/** The group at `path`, or null. */
function groupAt(root: Group, path: number[]): Group | null {
  let at: Node = root;
  for (const i of path) {
    if (at.kind !== "group") return null;
    const next: Node | undefined = at.children[i];
    if (!next) return null;
    at = next;
  }
  return at.kind === "group" ? at : null;
}

const pathOf = (s: string) => (s === "c" ? [] : s.slice(1).split("_").map(Number));

/**
 * A builder button's edit (`add:c1`, `group:c`, `remove:c1_0`) applied to the tree; false when the
 * value names no edit (a save or a count).
 */
export function applyEdit(root: Group, action: string): boolean {
  const m = /^(add|group|remove):(c(?:\d{1,3}(?:_\d{1,3}){0,5})?)$/.exec(action);
  if (!m) return false;
  const path = pathOf(m[2] as string);
  if (m[1] === "remove") {
    const parent = groupAt(root, path.slice(0, -1));
    if (parent && path.length) parent.children.splice(path.at(-1) as number, 1);
    return true;
  }
  const group = groupAt(root, path);
  if (!group) return true;
  if (m[1] === "add") group.children.push(emptyLeaf());
  else if (path.length + 1 < MAX_FORM_DEPTH)
    group.children.push({ kind: "group", logic: "or", children: [emptyLeaf()] });
  return true;
}

const isBlank = (n: Node): boolean =>
  n.kind === "leaf" ? !n.field && !n.operator && !n.value.trim() : n.children.every(isBlank);

/** The tree without its blank rows and empty groups (what is validated and saved). */
export function pruned(g: Group): Group {
  return {
    ...g,
    children: g.children.filter((n) => !isBlank(n)).map((n) => (n.kind === "group" ? pruned(n) : n)),
  };
}

/** A typed value as the builder shows it: lists comma-separated. */
export function valueText(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return v.map((x) => valueText(x)).join(", ");
  return String(v);
}

/** A value typed as text read as a number or boolean when it looks like one (attributes, event properties). */
export const guessed = (v: string): string | number | boolean =>
  /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === "true" ? true : v === "false" ? false : v;

/** A value read as a number when it is one; otherwise kept, so that the API's 422 names it. */
export const numeric = (v: string): string | number => (/^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);

/** Comma-separated items, each typed by `one`. */
export const listOf = <T>(v: string, one: (s: string) => T): T[] =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(one);
