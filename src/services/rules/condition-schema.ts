/** Rule conditions: {all}/{any} groups of {field, op, value} leaves, their schema and depth limit. */
import { z } from "@hono/zod-openapi";

export const CONDITION_OPS = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "contains",
  "not_contains",
  "in",
  "not_in",
  "exists",
  "not_exists",
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** Contact fields a condition may read; `attributes.<key>` and `event.<property path>` too. */
export const CONDITION_FIELDS = [
  "tags",
  "score",
  "lifecycle_stage",
  "status",
  "email",
  "first_name",
  "last_name",
  "phone",
  "timezone",
];
const FIELD_RE = new RegExp(
  `^(${CONDITION_FIELDS.join("|")}|attributes\\.[\\w.-]{1,100}|event\\.[\\w.-]{1,100})$`,
);

export const Scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof Scalar>;

export interface ConditionLeaf {
  field: string;
  op: ConditionOp;
  value?: Scalar | Scalar[];
}
/** `all` is AND, `any` is OR; groups nest. `{"all": []}` (or `{}`) always matches. */
export type Condition = { all: Condition[] } | { any: Condition[] } | ConditionLeaf;

const NUMERIC_OPS: ConditionOp[] = ["gt", "gte", "lt", "lte"];

export const ConditionLeafSchema = z
  .object({
    field: z
      .string()
      .regex(FIELD_RE, `must be one of ${CONDITION_FIELDS.join(", ")}, attributes.<key> or event.<property>`),
    op: z.enum(CONDITION_OPS),
    value: z.union([Scalar, z.array(Scalar).max(100)]).optional(),
  })
  .strict()
  .superRefine((leaf, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: "custom", path: ["value"], message });
    if (leaf.op === "exists" || leaf.op === "not_exists") {
      if (leaf.value !== undefined) issue(`${leaf.op} takes no value`);
    } else if (leaf.op === "in" || leaf.op === "not_in") {
      if (!Array.isArray(leaf.value)) issue(`${leaf.op} needs an array value`);
    } else if (NUMERIC_OPS.includes(leaf.op)) {
      if (typeof leaf.value !== "number") issue(`${leaf.op} needs a number value`);
    } else if (leaf.value === undefined || Array.isArray(leaf.value)) {
      issue(`${leaf.op} needs a single value`);
    }
  })
  .openapi("RuleConditionLeaf", { example: { field: "event.amount", op: "gt", value: 50 } });

export const ConditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      z.object({ all: z.array(ConditionSchema).max(50) }).strict(),
      z.object({ any: z.array(ConditionSchema).max(50) }).strict(),
      ConditionLeafSchema,
    ]),
  )
  .openapi("RuleCondition", {
    description: "A condition tree: {all: [...]} (and), {any: [...]} (or), or a leaf {field, op, value}.",
  });

/** Groups (`all` / `any`) nest at most this deep. */
export const MAX_CONDITION_DEPTH = 10;

/** How many groups deep a condition tree goes (a leaf is 0), without recursion. */
function groupDepth(root: Condition): number {
  let max = 0;
  const stack: [Condition, number][] = [[root, 0]];
  while (stack.length) {
    const [node, d] = stack.pop() as [Condition, number];
    const children = "all" in node ? node.all : "any" in node ? node.any : null;
    if (!children) continue;
    if (d + 1 > max) max = d + 1;
    for (const c of children) stack.push([c, d + 1]);
  }
  return max;
}

/** `{}` and null mean "no conditions". The request body's own depth limit keeps the parse shallow. */
export const ConditionsField = z.preprocess(
  (v) =>
    v === null || (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0)
      ? { all: [] }
      : v,
  ConditionSchema.superRefine((c, ctx) => {
    if (groupDepth(c) > MAX_CONDITION_DEPTH)
      ctx.addIssue({ code: "custom", message: `condition groups nest at most ${MAX_CONDITION_DEPTH} deep` });
  }),
);
