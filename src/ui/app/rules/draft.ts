/**
 * The rule builder's draft: what the form holds (every value as typed) and how it becomes the API's
 * rule input. Each action type and each trigger has its form fields here; config keys the form does
 * not show (an action's html, a webhook's secret) ride along in a hidden field, so editing a rule
 * in the browser never drops what the API set.
 */
import {
  RULE_TRIGGERS,
  type RuleAction,
  type RuleTrigger,
  UPDATABLE_FIELDS,
} from "../../../services/rules/definitions";
import { RFM_SEGMENTS } from "../../../services/segments/fields";
import { conditionsOfTree, treeOfConditions } from "../conditions/json";
import { type Group, guessed, numeric, pruned, treeFromForm } from "../conditions/tree";

/** Where a select's options come from: a list of the organization's objects, or fixed values. */
export type Options = "templates" | "scenarios" | "users" | "segments" | readonly string[];
export interface FieldDesc {
  name: string;
  kind: "text" | "number" | "textarea" | "select" | "checkbox" | "email";
  options?: Options;
  /** A select whose empty choice is a choice: what it is called ("any segment", "unassigned"). */
  empty?: "anyValue" | "all" | "unassigned" | "byDefault";
}

const task: FieldDesc[] = [
  { name: "title", kind: "text" },
  { name: "body", kind: "textarea" },
  { name: "assignee_id", kind: "select", options: "users", empty: "unassigned" },
  { name: "due_in_minutes", kind: "number" },
];

export const ACTION_TYPES = [
  "add_tag",
  "remove_tag",
  "update_score",
  "update_field",
  "create_task",
  "schedule_call",
  "send_email",
  "enroll_in_scenario",
  "pause_sequences",
  "trigger_webhook",
  "send_sms",
] as const satisfies readonly RuleAction["type"][];

export const ACTION_FIELDS: Record<RuleAction["type"], FieldDesc[]> = {
  update_score: [{ name: "points", kind: "number" }],
  add_tag: [{ name: "tag", kind: "text" }],
  remove_tag: [{ name: "tag", kind: "text" }],
  update_field: [
    { name: "field", kind: "text", options: [...UPDATABLE_FIELDS, "attributes."] },
    { name: "value", kind: "text" },
  ],
  create_task: task,
  schedule_call: task,
  send_email: [
    { name: "template_id", kind: "select", options: "templates" },
    { name: "subject", kind: "text" },
    { name: "from_email", kind: "email" },
    { name: "from_name", kind: "text" },
    { name: "reply_to", kind: "email" },
  ],
  enroll_in_scenario: [{ name: "scenario_id", kind: "select", options: "scenarios" }],
  pause_sequences: [{ name: "scenario_id", kind: "select", options: "scenarios", empty: "all" }],
  trigger_webhook: [{ name: "url", kind: "text" }],
  send_sms: [
    { name: "content", kind: "textarea" },
    { name: "sender", kind: "text" },
    { name: "sms_type", kind: "select", options: ["transactional", "marketing"], empty: "byDefault" },
  ],
};

export const TRIGGER_FIELDS: Partial<Record<RuleTrigger, FieldDesc[]>> = {
  lead_score_high: [{ name: "threshold", kind: "number" }],
  tag_added: [{ name: "tag", kind: "text" }],
  segment_entered: [{ name: "segment_id", kind: "select", options: "segments", empty: "anyValue" }],
  date_reached: [
    { name: "attribute", kind: "text" },
    { name: "offset_days", kind: "number" },
    { name: "yearly", kind: "checkbox" },
  ],
  rfm_segment_changed: [{ name: "rfm_segment", kind: "select", options: RFM_SEGMENTS, empty: "anyValue" }],
};

export interface ActionDraft {
  type: RuleAction["type"];
  delay: string;
  values: Record<string, string>;
  /** Config keys the form does not show, as JSON ({type, config}): kept while the type stays. */
  extra: string;
}

export interface RuleDraft {
  name: string;
  trigger: RuleTrigger;
  trigger_values: Record<string, string>;
  root: Group;
  actions: ActionDraft[];
  priority: string;
  enabled: boolean;
  stop_processing: boolean;
  /** A whole rule pasted in the JSON disclosure. */
  json: string;
}

const str = (f: Record<string, unknown>, k: string) => {
  const v = f[k];
  return typeof v === "string" ? v : "";
};
const actionType = (v: string): RuleAction["type"] =>
  (ACTION_TYPES as readonly string[]).includes(v) ? (v as RuleAction["type"]) : "add_tag";
const valuesOf = (f: Record<string, unknown>, prefix: string, fields: FieldDesc[]) =>
  Object.fromEntries(fields.map((d) => [d.name, str(f, `${prefix}${d.name}`)]));

export function ruleDraftFromForm(f: Record<string, unknown>): RuleDraft {
  const trigger = (RULE_TRIGGERS as readonly string[]).includes(str(f, "trigger"))
    ? (str(f, "trigger") as RuleTrigger)
    : "email_clicked";
  const actions: ActionDraft[] = [];
  for (let i = 0; i < 20 && str(f, `a${i}_type`); i++) {
    const type = actionType(str(f, `a${i}_type`));
    actions.push({
      type,
      delay: str(f, `a${i}_delay`),
      values: valuesOf(f, `a${i}__`, ACTION_FIELDS[type]),
      extra: str(f, `a${i}_extra`),
    });
  }
  return {
    name: str(f, "name").trim(),
    trigger,
    trigger_values: valuesOf(f, "t__", TRIGGER_FIELDS[trigger] ?? []),
    root: treeFromForm(f),
    actions,
    priority: str(f, "priority"),
    enabled: str(f, "enabled") === "on",
    stop_processing: str(f, "stop_processing") === "on",
    json: str(f, "rule_json"),
  };
}

/** The typed config of a form's fields: empty fields left out; numbers and checkboxes read. */
function configOf(fields: FieldDesc[], values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of fields) {
    const raw = (values[d.name] ?? "").trim();
    if (d.kind === "checkbox") {
      if (raw === "on") out[d.name] = true;
    } else if (raw !== "") out[d.name] = d.kind === "number" ? numeric(raw) : raw;
  }
  return out;
}

function actionInput(a: ActionDraft): Record<string, unknown> {
  let extra: Record<string, unknown> = {};
  try {
    const e = JSON.parse(a.extra || "{}") as { type?: string; config?: Record<string, unknown> };
    if (e.type === a.type && e.config && typeof e.config === "object") extra = e.config;
  } catch {
    // A hidden field edited by hand: ignored, the visible fields still count.
  }
  const config = { ...extra, ...configOf(ACTION_FIELDS[a.type], a.values) };
  if (a.type === "update_field") {
    const v = (a.values.value ?? "").trim();
    config.value = v === "" ? null : String(config.field ?? "").startsWith("attributes.") ? guessed(v) : v;
  }
  return { type: a.type, config, delay_minutes: a.delay.trim() === "" ? 0 : numeric(a.delay) };
}

/** The API's rule input (RuleCreateSchema) the draft stands for. */
export function ruleInputOf(d: RuleDraft): Record<string, unknown> {
  const triggerConfig = configOf(TRIGGER_FIELDS[d.trigger] ?? [], d.trigger_values);
  return {
    name: d.name,
    trigger: d.trigger,
    ...(Object.keys(triggerConfig).length ? { trigger_config: triggerConfig } : {}),
    conditions: conditionsOfTree(pruned(d.root)),
    actions: d.actions.map(actionInput),
    ...(d.priority.trim() ? { priority: numeric(d.priority) } : {}),
    enabled: d.enabled,
    stop_processing: d.stop_processing,
  };
}

const text = (v: unknown) =>
  v === undefined || v === null ? "" : typeof v === "boolean" ? (v ? "on" : "") : String(v);

/** The draft of a rule as the API reads it (a stored rule, or JSON pasted by a developer). */
export function ruleDraftOf(rule: {
  name?: unknown;
  trigger?: unknown;
  trigger_config?: unknown;
  conditions?: unknown;
  actions?: unknown;
  priority?: unknown;
  enabled?: unknown;
  stop_processing?: unknown;
}): RuleDraft {
  const trigger = (RULE_TRIGGERS as readonly string[]).includes(String(rule.trigger))
    ? (rule.trigger as RuleTrigger)
    : "email_clicked";
  const tc = (rule.trigger_config ?? {}) as Record<string, unknown>;
  const actions = (Array.isArray(rule.actions) ? rule.actions : []).slice(0, 20).map((a) => {
    const type = actionType(String(a?.type));
    const config = (a?.config ?? {}) as Record<string, unknown>;
    const shown = ACTION_FIELDS[type].map((d) => d.name);
    const hidden = Object.fromEntries(Object.entries(config).filter(([k]) => !shown.includes(k)));
    return {
      type,
      delay: text(a?.delay_minutes ?? 0),
      values: Object.fromEntries(shown.map((k) => [k, text(config[k])])),
      extra: Object.keys(hidden).length ? JSON.stringify({ type, config: hidden }) : "",
    };
  });
  return {
    name: typeof rule.name === "string" ? rule.name : "",
    trigger,
    trigger_values: Object.fromEntries(
      (TRIGGER_FIELDS[trigger] ?? []).map((d) => [d.name, text(tc[d.name])]),
    ),
    root: treeOfConditions(rule.conditions),
    actions,
    priority: text(rule.priority),
    enabled: rule.enabled !== false,
    stop_processing: rule.stop_processing === true,
    json: "",
  };
}
