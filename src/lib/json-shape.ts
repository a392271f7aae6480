/**
 * Structural checks on parsed JSON, without recursion (a hostile document cannot overflow the
 * stack): how deep it nests, and whether a string or key holds characters no field accepts.
 */

/** C0 control characters other than tab, LF and CR; no text field of the API takes them. */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
/** A UTF-16 surrogate without its pair: not a Unicode character, so not storable text. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface JsonProblem {
  path: string;
  message: string;
}

const describe = (s: string) =>
  FORBIDDEN_CONTROL.test(s)
    ? "must not contain control characters"
    : LONE_SURROGATE.test(s)
      ? "must be valid Unicode (a lone surrogate was found)"
      : null;

/** Nesting depth of a JSON value: a scalar is 0, `[]` and `{}` are 1, `{"a": [1]}` is 2. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth]);
  }
  return max;
}

/**
 * The first problem of a request body: nesting deeper than `maxDepth`, or a string (value or key)
 * with a control character or a lone surrogate. Null when the document is fine.
 */
export function inspectJson(value: unknown, maxDepth: number): JsonProblem | null {
  const stack: [unknown, string, number][] = [[value, "", 0]];
  while (stack.length) {
    const [v, path, d] = stack.pop() as [unknown, string, number];
    if (typeof v === "string") {
      const message = describe(v);
      if (message) return { path, message };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (d + 1 > maxDepth) return { path, message: `must not nest deeper than ${maxDepth} levels` };
    const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
    if (Array.isArray(v)) v.forEach((child, i) => void stack.push([child, at(i), d + 1]));
    else
      for (const [k, child] of Object.entries(v)) {
        const message = describe(k);
        if (message) return { path: at(k), message: `key ${message}` };
        stack.push([child, at(k), d + 1]);
      }
  }
  return null;
}
