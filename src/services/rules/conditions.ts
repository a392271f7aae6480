import { parseJson } from "../../lib/json";
import type { Condition, ConditionLeaf } from "./definitions";
import type { ContactRow } from "../contacts/types";

/** What conditions read: the contact as it is now (null when unknown) and the event's properties. */
export interface ConditionSubject {
  contact: ContactRow | null;
  properties: Record<string, unknown>;
}

export type ConditionResult = { ok: true } | { ok: false; reason: string };

const MISSING = Symbol("missing");
type Value = unknown | typeof MISSING;

/** Follow a dotted path through nested objects ("order.total"). */
function dig(root: unknown, path: string): Value {
  let cur: unknown = root;
  for (const key of path.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !(key in (cur as object)))
      return MISSING;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur === undefined ? MISSING : cur;
}

function read(field: string, s: ConditionSubject): Value {
  if (field.startsWith("event.")) return dig(s.properties, field.slice("event.".length));
  const c = s.contact;
  if (!c) return MISSING;
  if (field.startsWith("attributes."))
    return dig(parseJson(c.attributes, {}), field.slice("attributes.".length));
  const fields: Record<string, unknown> = {
    tags: parseJson<string[]>(c.tags, []),
    score: c.score,
    lifecycle_stage: c.lifecycleStage,
    status: c.status,
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    phone: c.phone,
    timezone: c.timezone,
  };
  const v = fields[field];
  return v === null || v === undefined ? MISSING : v;
}

/** A number, or a string holding one (event properties often arrive as strings). */
function num(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** Equality that lets "60" equal 60 and compares strings case-insensitively (tags, stages, emails). */
function same(a: unknown, b: unknown): boolean {
  if (typeof b === "number") return num(a) === b;
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function contains(actual: unknown, needle: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((x) => same(x, needle));
  if (typeof actual === "string" && typeof needle === "string")
    return actual.toLowerCase().includes(needle.toLowerCase());
  return false;
}

function leafHolds(leaf: ConditionLeaf, actual: Value): boolean {
  const present = actual !== MISSING;
  const { value } = leaf;
  switch (leaf.op) {
    case "exists":
      return present && !(Array.isArray(actual) && actual.length === 0);
    case "not_exists":
      return !present || (Array.isArray(actual) && actual.length === 0);
    case "eq":
      return present && same(actual, value);
    case "neq":
      return !present || !same(actual, value);
    case "contains":
      return present && contains(actual, value);
    case "not_contains":
      return !present || !contains(actual, value);
    case "in":
      return present && Array.isArray(value) && value.some((v) => same(actual, v));
    case "not_in":
      return !present || !Array.isArray(value) || !value.some((v) => same(actual, v));
    default: {
      const a = present ? num(actual) : null;
      const b = num(value);
      if (a === null || b === null) return false;
      if (leaf.op === "gt") return a > b;
      if (leaf.op === "gte") return a >= b;
      if (leaf.op === "lt") return a < b;
      return a <= b;
    }
  }
}

const describe = (leaf: ConditionLeaf) =>
  `${leaf.field} ${leaf.op}${leaf.value === undefined ? "" : ` ${JSON.stringify(leaf.value)}`}`;

/**
 * Evaluate a condition tree. `all` needs every child (an empty `all` matches), `any` needs one (an
 * empty `any` matches nothing). The reason names the first leaf that failed, for run records and the
 * dry run.
 */
export function evaluateCondition(cond: Condition, s: ConditionSubject): ConditionResult {
  if ("all" in cond) {
    for (const child of cond.all) {
      const r = evaluateCondition(child, s);
      if (!r.ok) return r;
    }
    return { ok: true };
  }
  if ("any" in cond) {
    const reasons: string[] = [];
    for (const child of cond.any) {
      const r = evaluateCondition(child, s);
      if (r.ok) return r;
      reasons.push(r.reason);
    }
    return { ok: false, reason: `none of: ${reasons.join("; ") || "(empty any)"}` };
  }
  const actual = read(cond.field, s);
  if (leafHolds(cond, actual)) return { ok: true };
  const shown = actual === MISSING ? "missing" : JSON.stringify(actual);
  return { ok: false, reason: `${describe(cond)} is false (${cond.field} is ${shown})` };
}
