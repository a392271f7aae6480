import { CONTACT_STATUSES } from "../../db/schema";

/**
 * The fields segment criteria may name, each with its SQL over the contacts table (alias `c`) and
 * its kind, which decides the operators and value types allowed. Nothing outside this table ever
 * reaches SQL: an unknown field is a 422, and values are always bound parameters.
 */
export type FieldKind = "string" | "enum" | "number" | "boolean" | "date" | "tags" | "attribute";

export interface FieldSpec {
  kind: FieldKind;
  sql: string;
  /** Allowed values of an enum field. */
  values?: readonly string[];
}

export const RFM_SEGMENTS = ["VIP", "Standard", "At Risk", "Churn"] as const;
export const CONSENT_TYPES = [
  "email_marketing",
  "sms_marketing",
  "phone_marketing",
  "profiling",
  "third_party_sharing",
] as const;
export const CONSENT_STATES = ["granted", "revoked", "pending"] as const;

const FIELDS: Record<string, FieldSpec> = {
  email: { kind: "string", sql: "c.email_normalized" },
  email_domain: { kind: "string", sql: "substr(c.email_normalized, instr(c.email_normalized, '@') + 1)" },
  first_name: { kind: "string", sql: "c.first_name" },
  last_name: { kind: "string", sql: "c.last_name" },
  phone: { kind: "string", sql: "c.phone" },
  timezone: { kind: "string", sql: "c.timezone" },
  lifecycle_stage: { kind: "string", sql: "c.lifecycle_stage" },
  status: { kind: "enum", sql: "c.status", values: CONTACT_STATUSES },
  score: { kind: "number", sql: "c.score" },
  validation_score: { kind: "number", sql: "c.validation_score" },
  purchase_count: { kind: "number", sql: "c.purchase_count" },
  total_spent: { kind: "number", sql: "c.total_spent" },
  rfm_score: { kind: "number", sql: "c.rfm_score" },
  fit_score: { kind: "number", sql: "c.fit_score" },
  deliverable: { kind: "boolean", sql: "c.deliverable" },
  tags: { kind: "tags", sql: "c.tags" },
  created_at: { kind: "date", sql: "c.created_at" },
  last_sent_at: { kind: "date", sql: "c.last_sent_at" },
  last_opened_at: { kind: "date", sql: "c.last_opened_at" },
  last_clicked_at: { kind: "date", sql: "c.last_clicked_at" },
  last_purchase_at: { kind: "date", sql: "c.last_purchase_at" },
  rfm_segment: { kind: "enum", sql: "c.rfm_segment", values: RFM_SEGMENTS },
};

/** Keys of `attributes.<key>`: letters, digits, `_`, `-`, `.`; never a quote that could end a JSON path. */
const ATTRIBUTE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/** The spec of a field name, or null when criteria may not use it. */
export function fieldSpec(field: string): FieldSpec | null {
  const known = FIELDS[field];
  if (known) return known;
  if (field.startsWith("attributes.")) {
    const key = field.slice("attributes.".length);
    return ATTRIBUTE_KEY.test(key) ? { kind: "attribute", sql: `$."${key}"` } : null;
  }
  if (field.startsWith("consent.")) {
    const type = field.slice("consent.".length);
    return (CONSENT_TYPES as readonly string[]).includes(type)
      ? { kind: "enum", sql: `json_extract(c.consents, '$.${type}')`, values: CONSENT_STATES }
      : null;
  }
  return null;
}

export const FIELD_NAMES = [...Object.keys(FIELDS), "attributes.<key>", "consent.<type>"];

export const OPERATORS = [
  "eq",
  "neq",
  "in",
  "not_in",
  "contains",
  "not_contains",
  "starts_with",
  "gt",
  "gte",
  "lt",
  "lte",
  "between",
  "exists",
  "not_exists",
  "within_last_days",
  "more_than_days_ago",
] as const;
export type Operator = (typeof OPERATORS)[number];

const PRESENCE: Operator[] = ["exists", "not_exists"];
const EQUALITY: Operator[] = ["eq", "neq", "in", "not_in"];
const TEXT: Operator[] = ["contains", "not_contains", "starts_with"];
const ORDER: Operator[] = ["gt", "gte", "lt", "lte", "between"];
const DAYS: Operator[] = ["within_last_days", "more_than_days_ago"];

/** What each kind of field can be compared with. */
export const OPERATORS_BY_KIND: Record<FieldKind, Operator[]> = {
  string: [...EQUALITY, ...TEXT, ...PRESENCE],
  enum: [...EQUALITY, ...PRESENCE],
  number: [...EQUALITY, ...ORDER, ...PRESENCE],
  boolean: ["eq", "neq", ...PRESENCE],
  date: [...ORDER, ...DAYS, ...PRESENCE],
  tags: ["contains", "not_contains", "in", "not_in", ...PRESENCE],
  attribute: [...EQUALITY, ...TEXT, ...ORDER, ...DAYS, ...PRESENCE],
};
