import { and, asc, desc, eq, gt, inArray, lt, or } from "drizzle-orm";
import { rules, scenarios, templates, users } from "../../db/schema";
import { readOnce } from "../../lib/batch-reads";
import { iso, now } from "../../lib/clock";
import { ApiError, type ErrorDetail, notFound, validationFailed, zodDetails } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { parseJson } from "../../lib/json";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { generateWebhookSecret } from "../../providers/outbound-webhook";
import {
  type Condition,
  type RuleAction,
  type RuleCreate,
  type RulePatch,
  type RuleTrigger,
  ruleIssues,
  type TriggerConfig,
} from "./definitions";

export type RuleRow = typeof rules.$inferSelect;

/** A stored rule with its JSON columns parsed. */
export interface Rule {
  id: string;
  name: string;
  trigger: RuleTrigger;
  triggerConfig: TriggerConfig;
  conditions: Condition;
  actions: RuleAction[];
  priority: number;
  enabled: boolean;
  stopProcessing: boolean;
  isDefault: boolean;
  createdAt: number;
  updatedAt: number;
}

export function parseRule(r: RuleRow): Rule {
  return {
    id: r.id,
    name: r.name,
    trigger: r.trigger as RuleTrigger,
    triggerConfig: parseJson<TriggerConfig>(r.triggerConfig, {}),
    conditions: parseJson<Condition>(r.conditions, { all: [] }),
    actions: parseJson<RuleAction[]>(r.actions, []),
    priority: r.priority,
    enabled: r.enabled,
    stopProcessing: r.stopProcessing,
    isDefault: r.isDefault,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** The public shape of a rule (API.md). */
export function ruleView(r: Rule) {
  const emptyConditions = "all" in r.conditions && r.conditions.all.length === 0;
  return {
    id: r.id,
    name: r.name,
    trigger: r.trigger,
    trigger_config: r.triggerConfig,
    conditions: emptyConditions ? {} : r.conditions,
    actions: r.actions,
    priority: r.priority,
    enabled: r.enabled,
    stop_processing: r.stopProcessing,
    is_default: r.isDefault,
    created_at: iso(r.createdAt) as string,
    updated_at: iso(r.updatedAt) as string,
  };
}

/** Webhook actions without a secret get one, so every delivery is signed. */
const withSecrets = (actions: RuleAction[]): RuleAction[] =>
  actions.map((a) =>
    a.type === "trigger_webhook" && !a.config.secret
      ? { ...a, config: { ...a.config, secret: generateWebhookSecret() } }
      : a,
  );

/** Ids the actions name (templates, scenarios, team members) must exist in the organization: 422 otherwise. */
async function assertActionReferences(tenant: Tenant, actions: RuleAction[]) {
  const wanted = {
    template: new Map<string, string>(),
    scenario: new Map<string, string>(),
    user: new Map<string, string>(),
  };
  actions.forEach((a, i) => {
    const at = `actions.${i}.config`;
    if (a.type === "send_email" && a.config.template_id)
      wanted.template.set(`${at}.template_id`, a.config.template_id);
    if (a.type === "enroll_in_scenario" || (a.type === "pause_sequences" && a.config.scenario_id)) {
      wanted.scenario.set(`${at}.scenario_id`, a.config.scenario_id as string);
    }
    if ((a.type === "create_task" || a.type === "schedule_call") && a.config.assignee_id)
      wanted.user.set(`${at}.assignee_id`, a.config.assignee_id);
  });
  const ids = (m: Map<string, string>) => [...new Set(m.values())];
  const { db } = tenant;
  const [t, s, u] = await Promise.all([
    wanted.template.size
      ? db
          .select({ id: templates.id })
          .from(templates)
          .where(scoped(tenant, templates, inArray(templates.id, ids(wanted.template))))
          .all()
      : [],
    wanted.scenario.size
      ? db
          .select({ id: scenarios.id })
          .from(scenarios)
          .where(scoped(tenant, scenarios, inArray(scenarios.id, ids(wanted.scenario))))
          .all()
      : [],
    wanted.user.size
      ? db
          .select({ id: users.id })
          .from(users)
          .where(scoped(tenant, users, inArray(users.id, ids(wanted.user))))
          .all()
      : [],
  ]);
  const details: ErrorDetail[] = [];
  const check = (m: Map<string, string>, found: { id: string }[]) => {
    const have = new Set(found.map((r) => r.id));
    for (const [field, id] of m)
      if (!have.has(id)) details.push({ field, message: "does not exist in this organization" });
  };
  check(wanted.template, t);
  check(wanted.scenario, s);
  check(wanted.user, u);
  if (details.length)
    throw new ApiError(
      "VALIDATION_ERROR",
      details.map((d) => `${d.field}: ${d.message}`).join("; "),
      details,
    );
}

export async function createRule(
  tenant: Tenant,
  input: RuleCreate,
  opts: { isDefault?: boolean } = {},
): Promise<Rule> {
  await assertActionReferences(tenant, input.actions);
  const at = now();
  const [row] = await tenant.db
    .insert(rules)
    .values({
      id: newId("rule", at),
      organizationId: tenant.orgId,
      name: input.name,
      trigger: input.trigger,
      triggerConfig: JSON.stringify(input.trigger_config ?? {}),
      conditions: JSON.stringify(input.conditions ?? { all: [] }),
      actions: JSON.stringify(withSecrets(input.actions)),
      priority: input.priority ?? 50,
      enabled: input.enabled ?? true,
      stopProcessing: input.stop_processing ?? false,
      isDefault: opts.isDefault ?? false,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  return parseRule(row as RuleRow);
}

export async function getRule(tenant: Tenant, id: string): Promise<Rule> {
  const row = await tenant.db
    .select()
    .from(rules)
    .where(scoped(tenant, rules, eq(rules.id, id)))
    .get();
  if (!row) throw notFound("rule");
  return parseRule(row);
}

/** Rules by priority, highest first (ties: oldest first), the order the engine runs them in. */
export async function listRules(
  tenant: Tenant,
  q: { limit: number; cursor?: string; trigger?: RuleTrigger; enabled?: boolean },
) {
  const after = decodeCursor(q.cursor);
  const afterKey =
    after && typeof after[0] === "number" && typeof after[1] === "string"
      ? or(lt(rules.priority, after[0]), and(eq(rules.priority, after[0]), gt(rules.id, after[1])))
      : undefined;
  const rows = await tenant.db
    .select()
    .from(rules)
    .where(
      scoped(
        tenant,
        rules,
        afterKey,
        q.trigger ? eq(rules.trigger, q.trigger) : undefined,
        q.enabled === undefined ? undefined : eq(rules.enabled, q.enabled),
      ),
    )
    .orderBy(desc(rules.priority), asc(rules.id))
    .limit(q.limit + 1)
    .all();
  const { items, next_cursor } = page(rows, q.limit, (r) => [r.priority, r.id]);
  return { items: items.map(parseRule), next_cursor };
}

/** The enabled rules of one trigger, in evaluation order (read once per EVENTS batch). */
export function rulesForTrigger(tenant: Tenant, trigger: RuleTrigger): Promise<Rule[]> {
  return readOnce(tenant, `rules:${trigger}`, async () => {
    const rows = await tenant.db
      .select()
      .from(rules)
      .where(scoped(tenant, rules, eq(rules.trigger, trigger), eq(rules.enabled, true)))
      .orderBy(desc(rules.priority), asc(rules.id))
      .all();
    return rows.map(parseRule);
  });
}

/** PATCH: given fields replace the stored ones (actions and conditions as a whole); the result is re-checked. */
export async function updateRule(tenant: Tenant, id: string, patch: RulePatch): Promise<Rule> {
  const current = await getRule(tenant, id);
  const trigger = patch.trigger ?? current.trigger;
  const triggerConfig = patch.trigger_config ?? current.triggerConfig;
  const issues = ruleIssues({ trigger, trigger_config: triggerConfig });
  if (issues.length) {
    throw validationFailed(zodDetails({ issues }));
  }
  if (patch.actions) await assertActionReferences(tenant, patch.actions);
  const set: Partial<typeof rules.$inferInsert> = { updatedAt: Math.max(now(), current.updatedAt + 1) };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.trigger !== undefined) set.trigger = patch.trigger;
  if (patch.trigger_config !== undefined) set.triggerConfig = JSON.stringify(patch.trigger_config);
  if (patch.conditions !== undefined) set.conditions = JSON.stringify(patch.conditions);
  if (patch.actions !== undefined) set.actions = JSON.stringify(withSecrets(patch.actions));
  if (patch.priority !== undefined) set.priority = patch.priority;
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  if (patch.stop_processing !== undefined) set.stopProcessing = patch.stop_processing;
  const [row] = await tenant.db
    .update(rules)
    .set(set)
    .where(scoped(tenant, rules, eq(rules.id, id)))
    .returning();
  if (!row) throw notFound("rule");
  return parseRule(row);
}

/** Delete a rule. Its run records stay (history); its scheduled actions find the rule gone and are skipped. */
export async function deleteRule(tenant: Tenant, id: string): Promise<void> {
  const res = await tenant.db
    .delete(rules)
    .where(scoped(tenant, rules, eq(rules.id, id)))
    .returning({ id: rules.id });
  if (!res.length) throw notFound("rule");
}
