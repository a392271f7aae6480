import type { Operator } from "./fields";

/** Segment criteria limits: nesting depth, conditions in all, values in a list, text length. */
export const MAX_DEPTH = 5;
export const MAX_CONDITIONS = 100;
export const MAX_LIST = 100;
export const MAX_TEXT = 200;

export interface Condition {
  field: string;
  operator: Operator;
  value?: unknown;
}
export interface Group {
  logic: "and" | "or";
  conditions: (Condition | Group)[];
}
export type Criteria = Group;

/** A problem in criteria, with the path the API names in its 422. */
export interface CriteriaIssue {
  path: (string | number)[];
  message: string;
}
