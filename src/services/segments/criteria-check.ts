import { type CriteriaIssue, MAX_CONDITIONS, MAX_DEPTH, MAX_LIST, MAX_TEXT } from "./types";
/** Segment criteria checks: every field, operator and value, with the path of each problem. */
import { type FieldKind, fieldSpec, OPERATORS, OPERATORS_BY_KIND, type Operator } from "./fields";

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const isDate = (v: unknown) => typeof v === "string" && v.length <= 40 && !Number.isNaN(Date.parse(v));
const isScalar = (v: unknown) =>
  (typeof v === "string" && v.length <= MAX_TEXT) ||
  (typeof v === "number" && Number.isFinite(v)) ||
  typeof v === "boolean";

/** The value check for one kind and operator: null when fine, else what is wrong. */
function valueProblem(
  kind: FieldKind,
  op: Operator,
  value: unknown,
  allowed?: readonly string[],
): string | null {
  if (op === "exists" || op === "not_exists")
    return value === undefined || value === null ? null : `${op} takes no value`;
  if (op === "within_last_days" || op === "more_than_days_ago")
    return Number.isInteger(value) && (value as number) > 0 && (value as number) <= 36_500
      ? null
      : "must be a whole number of days between 1 and 36500";
  const one = (v: unknown): string | null => {
    switch (kind) {
      case "string":
      case "tags":
        return typeof v === "string" && v.length <= MAX_TEXT
          ? null
          : `must be a string of at most ${MAX_TEXT} characters`;
      case "enum":
        return typeof v === "string" && allowed?.includes(v) ? null : `must be one of ${allowed?.join(", ")}`;
      case "number":
        return typeof v === "number" && Number.isFinite(v) ? null : "must be a number";
      case "boolean":
        return typeof v === "boolean" ? null : "must be true or false";
      case "date":
        return isDate(v) ? null : "must be an ISO-8601 date or date-time";
      case "attribute":
        if (["gt", "gte", "lt", "lte", "between"].includes(op))
          return typeof v === "number" && Number.isFinite(v) ? null : "must be a number";
        if (["contains", "not_contains", "starts_with"].includes(op))
          return typeof v === "string" && v.length <= MAX_TEXT ? null : "must be a string";
        return isScalar(v) ? null : "must be a string, a number or a boolean";
    }
  };
  if (op === "in" || op === "not_in") {
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST)
      return `must be a list of 1 to ${MAX_LIST} values`;
    for (const v of value) {
      const p = one(v);
      if (p) return `every value ${p}`;
    }
    return null;
  }
  if (op === "between") {
    if (!Array.isArray(value) || value.length !== 2) return "must be a list of two values [from, to]";
    return one(value[0]) ?? one(value[1]);
  }
  return one(value);
}

/** Every problem of a criteria document, with its path (empty when valid). */
export function checkCriteria(input: unknown): CriteriaIssue[] {
  const issues: CriteriaIssue[] = [];
  let count = 0;
  const walk = (node: unknown, path: (string | number)[], depth: number) => {
    if (issues.length >= 20) return;
    if (!isObject(node)) {
      issues.push({
        path,
        message: "must be a condition {field, operator, value} or a group {logic, conditions}",
      });
      return;
    }
    if ("logic" in node || "conditions" in node) {
      if (depth > MAX_DEPTH) {
        issues.push({ path, message: `criteria may nest at most ${MAX_DEPTH} levels` });
        return;
      }
      if (node.logic !== "and" && node.logic !== "or")
        issues.push({ path: [...path, "logic"], message: 'must be "and" or "or"' });
      if (!Array.isArray(node.conditions) || node.conditions.length === 0) {
        issues.push({ path: [...path, "conditions"], message: "must be a non-empty list" });
        return;
      }
      for (const [i, c] of node.conditions.entries()) walk(c, [...path, "conditions", i], depth + 1);
      return;
    }
    count++;
    if (count === MAX_CONDITIONS + 1)
      issues.push({ path, message: `criteria may hold at most ${MAX_CONDITIONS} conditions` });
    const field = node.field;
    const spec = typeof field === "string" ? fieldSpec(field) : null;
    if (!spec) {
      issues.push({ path: [...path, "field"], message: `unknown field ${JSON.stringify(field)}` });
      return;
    }
    const op = node.operator;
    if (typeof op !== "string" || !(OPERATORS as readonly string[]).includes(op)) {
      issues.push({ path: [...path, "operator"], message: `unknown operator ${JSON.stringify(op)}` });
      return;
    }
    if (!OPERATORS_BY_KIND[spec.kind].includes(op as Operator)) {
      issues.push({ path: [...path, "operator"], message: `${op} does not apply to ${field}` });
      return;
    }
    const problem = valueProblem(spec.kind, op as Operator, node.value, spec.values);
    if (problem) issues.push({ path: [...path, "value"], message: problem });
  };
  walk(input, [], 1);
  return issues;
}
