import { iso, now } from "../../lib/clock";
import { notFound } from "../../lib/errors";
import type { Tenant } from "../../lib/tenant";
import { findContactByEmail, getContact } from "../contacts/store";
import { evaluateCondition } from "./conditions";
import type { RuleAction, RuleTrigger } from "./definitions";
import { triggerMatches } from "./engine";
import { isQueued } from "./runs";
import { type Rule, rulesForTrigger } from "./store";
import type { ContactRow } from "../contacts/types";

export interface DryRunInput {
  type: RuleTrigger;
  contact_id?: string;
  email?: string;
  properties?: Record<string, unknown>;
}

/** An action's config as the dry run shows it: a webhook secret is never echoed. */
const shownConfig = (a: RuleAction): Record<string, unknown> =>
  a.type === "trigger_webhook"
    ? { url: a.config.url, secret: a.config.secret ? "(set)" : null }
    : { ...a.config };

const plan = (rule: Rule, at: number) =>
  rule.actions.map((a, index) => ({
    index,
    type: a.type,
    config: shownConfig(a),
    delay_minutes: a.delay_minutes,
    run_at: iso(at + a.delay_minutes * 60_000) as string,
    mode: (a.delay_minutes > 0 ? "delayed" : isQueued(a) ? "queued" : "immediate") as
      | "delayed"
      | "queued"
      | "immediate",
  }));

/**
 * POST /api/v1/rules/test: which enabled rules the event would match, in evaluation order, and what
 * they would do. Nothing is executed or recorded. Conditions see the contact as it is now; events
 * the actions would cause (tag_added, lead_score_high) are not followed.
 */
export async function dryRun(tenant: Tenant, input: DryRunInput) {
  let contact: ContactRow | null = null;
  if (input.contact_id) contact = await getContact(tenant, input.contact_id);
  else if (input.email) {
    contact = (await findContactByEmail(tenant, input.email)) ?? null;
    if (!contact) throw notFound("contact");
  }
  const at = now();
  const properties = input.properties ?? {};
  const event = {
    id: "dry-run",
    trigger: input.type,
    contact_id: contact?.id ?? "",
    occurred_at: at,
    properties,
    depth: 0,
  };
  const matched: {
    rule_id: string;
    name: string;
    priority: number;
    stop_processing: boolean;
    actions: ReturnType<typeof plan>;
  }[] = [];
  const notMatched: { rule_id: string; name: string; priority: number; reason: string }[] = [];
  let stoppedBy: string | null = null;
  for (const rule of await rulesForTrigger(tenant, input.type)) {
    const base = { rule_id: rule.id, name: rule.name, priority: rule.priority };
    if (stoppedBy) {
      notMatched.push({ ...base, reason: `not evaluated: rule ${stoppedBy} stops processing` });
      continue;
    }
    if (!triggerMatches(rule, event)) {
      const reason =
        rule.trigger === "lead_score_high"
          ? `score_before/score_after do not cross the threshold ${rule.triggerConfig.threshold}`
          : `tag is not ${rule.triggerConfig.tag}`;
      notMatched.push({ ...base, reason });
      continue;
    }
    const verdict = evaluateCondition(rule.conditions, { contact, properties });
    if (!verdict.ok) {
      notMatched.push({ ...base, reason: verdict.reason });
      continue;
    }
    matched.push({ ...base, stop_processing: rule.stopProcessing, actions: plan(rule, at) });
    if (rule.stopProcessing) stoppedBy = rule.id;
  }
  return {
    trigger: input.type,
    contact_id: contact?.id ?? null,
    matched,
    not_matched: notMatched,
    stopped_by: stoppedBy,
  };
}
