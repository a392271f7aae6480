import { contacts } from "../../db/schema";
import { now } from "../../lib/clock";
import { sha256Hex } from "../../lib/crypto";
import { rowById } from "../../lib/fixed-select";
import type { Tenant } from "../../lib/tenant";
import { tenantSql } from "../../lib/tenant-sql";
import { CHANGES_CONTACT, CHECKPOINTED, executeAction } from "./actions";
import { evaluateCondition } from "./conditions";
import { type ActionPatch, openRun, recordActions, type Run } from "./runs";
import { type Rule, rulesForTrigger } from "./store";
import { parseJson } from "../../lib/json";
import {
  type ActionOutcome,
  type CausedSpec,
  MAX_RULE_DEPTH,
  type RuleDeps,
  type RuleEvent,
  type RunActionRecord,
} from "./types";
import type { ContactRow } from "../contacts/types";

/** Whether a rule's trigger settings accept the event: a threshold crossed upward, a given tag. */
export function triggerMatches(rule: Rule, e: RuleEvent): boolean {
  if (rule.trigger !== e.trigger) return false;
  if (rule.trigger === "lead_score_high") {
    const threshold = rule.triggerConfig.threshold;
    const before = Number(e.properties.score_before);
    const after = Number(e.properties.score_after);
    return threshold !== undefined && before < threshold && after >= threshold;
  }
  if (rule.trigger === "tag_added" && rule.triggerConfig.tag) {
    return String(e.properties.tag ?? "").toLowerCase() === rule.triggerConfig.tag.toLowerCase();
  }
  if (rule.trigger === "segment_entered" && rule.triggerConfig.segment_id) {
    return e.properties.segment_id === rule.triggerConfig.segment_id;
  }
  if (rule.trigger === "date_reached") {
    // The daily job emits one event per (rule, contact, day): it names the rule it is for.
    return e.properties.rule_id === rule.id;
  }
  if (rule.trigger === "rfm_segment_changed" && rule.triggerConfig.rfm_segment) {
    return e.properties.to === rule.triggerConfig.rfm_segment;
  }
  return true;
}

/** The contact a rule is evaluated on (fixed text: once per matching event, lib/fixed-select.ts). */
export const loadContact = (tenant: Tenant, id: string) => rowById(tenant, contacts, id);

/**
 * An event an action caused. Its id is derived from (cause, rule, action, trigger), so a redelivered
 * cause yields the same id and the runs it already produced are found rather than repeated.
 */
export async function causedEvent(
  parent: RuleEvent,
  ruleId: string,
  index: number,
  c: CausedSpec,
): Promise<RuleEvent> {
  const hash = await sha256Hex([parent.id, ruleId, index, c.trigger].join("\u001f"));
  return {
    id: `rev_${hash.slice(0, 24)}`,
    trigger: c.trigger,
    contact_id: parent.contact_id,
    occurred_at: now(),
    properties: c.properties,
    depth: parent.depth + 1,
  };
}

/**
 * What an outcome goes on to: the caused events to evaluate, the specs to keep in the run record
 * (so a redelivery can evaluate them again), and a note when the loop limit stops them.
 */
export async function followUps(event: RuleEvent, ruleId: string, index: number, outcome: ActionOutcome) {
  const caused = outcome.status === "executed" ? (outcome.caused ?? []) : [];
  if (!caused.length) return { events: [] as RuleEvent[], keep: undefined, note: null };
  if (event.depth + 1 > MAX_RULE_DEPTH) {
    const triggers = caused.map((c) => c.trigger).join(", ");
    return {
      events: [] as RuleEvent[],
      keep: undefined,
      note: `loop limit: ${triggers} not evaluated (depth ${event.depth + 1} > ${MAX_RULE_DEPTH})`,
    };
  }
  return {
    events: await Promise.all(caused.map((c) => causedEvent(event, ruleId, index, c))),
    keep: caused,
    note: null,
  };
}

/**
 * The caused events a finished run recorded, for a redelivered event: if the first delivery stopped
 * before evaluating them, they are evaluated now; if not, their own runs are found done.
 */
export async function replayCaused(
  event: RuleEvent,
  ruleId: string,
  actions: RunActionRecord[],
): Promise<RuleEvent[]> {
  const specs = actions.flatMap((a) =>
    a.status === "executed" ? (a.caused ?? []).map((c) => ({ index: a.index, c })) : [],
  );
  return Promise.all(specs.map(({ index, c }) => causedEvent(event, ruleId, index, c)));
}

export const outcomeReason = (o: ActionOutcome) => (o.status === "executed" ? (o.detail ?? null) : o.reason);

/**
 * Run the inline part of a run: its pending (immediate) actions in order, then hand its scheduled
 * ones (delayed, webhook, SMS) to the scheduler, then close it. Outcomes of actions that insert
 * unkeyed rows are recorded at once; the rest in the closing UPDATE. On an unexpected error the
 * lease is released and the error rethrown, so the retried event resumes this run.
 */
async function executeRun(deps: RuleDeps, rule: Rule, run: Run, contact: ContactRow, event: RuleEvent) {
  const { tenant } = deps;
  const patches = new Map<number, ActionPatch>();
  const caused: RuleEvent[] = [];
  let changedContact = false;
  try {
    for (const rec of run.actions) {
      if (rec.status !== "pending") continue;
      const action = run.plan[rec.index];
      if (!action) {
        patches.set(rec.index, {
          status: "skipped",
          reason: "action missing from the rule's snapshot",
          at: now(),
        });
        continue;
      }
      const outcome = await executeAction(
        { deps, rule: { id: rule.id, name: rule.name }, event, index: rec.index, contact },
        action,
      );
      const next = await followUps(event, rule.id, rec.index, outcome);
      caused.push(...next.events);
      if (outcome.status === "executed" && CHANGES_CONTACT.has(action.type)) changedContact = true;
      const reason = [outcomeReason(outcome), next.note].filter(Boolean).join("; ") || null;
      // Inline actions have no queue to retry on: a transient refusal here is final.
      const patch: ActionPatch = {
        status: outcome.status === "retry" ? "failed" : outcome.status,
        reason,
        at: now(),
        caused: next.keep,
      };
      if (CHECKPOINTED.has(action.type)) await recordActions(tenant, run.id, new Map([[rec.index, patch]]));
      else patches.set(rec.index, patch);
    }
    const at = now();
    for (const rec of run.actions) {
      if (rec.status !== "scheduled") continue;
      const dueAt = rec.due_at ?? at;
      await deps.scheduler.schedule(
        { organization_id: tenant.orgId, run_id: run.id, action_index: rec.index, due_at: dueAt },
        Math.max(0, Math.ceil((dueAt - at) / 1000)),
      );
    }
    await recordActions(tenant, run.id, patches, "done");
  } catch (e) {
    await recordActions(tenant, run.id, patches, "release").catch(() => undefined);
    throw e;
  }
  return { caused, changedContact };
}

/** The runs this event already has for the rules about to be evaluated (one query, fixed text). */
async function priorRuns(tenant: Tenant, ruleIds: string[], eventId: string) {
  const found = new Map<string, { status: string; actions: RunActionRecord[] }>();
  const { results } = await tenantSql(
    tenant,
    `SELECT rule_id, status, actions FROM rule_runs WHERE organization_id = ?1 AND event_id = ?2
       AND rule_id IN (SELECT value FROM json_each(?3))`,
    eventId,
    JSON.stringify(ruleIds),
  ).all<{ rule_id: string; status: string; actions: string }>();
  for (const r of results)
    found.set(r.rule_id, { status: r.status, actions: parseJson<RunActionRecord[]>(r.actions, []) });
  return found;
}

/**
 * Evaluate one event: the enabled rules of its trigger, highest priority first. A rule whose
 * conditions hold gets a run and its actions execute in order; `stop_processing` ends the
 * evaluation. A run this event already has (redelivery) is not evaluated again: a finished one
 * counts as matched, an interrupted one is resumed. Returns the events the actions caused.
 */
async function evaluateOne(deps: RuleDeps, event: RuleEvent): Promise<RuleEvent[]> {
  const { tenant } = deps;
  const candidates = (await rulesForTrigger(tenant, event.trigger)).filter((r) => triggerMatches(r, event));
  if (!candidates.length) return [];
  const [first, prior] = await Promise.all([
    loadContact(tenant, event.contact_id),
    priorRuns(
      tenant,
      candidates.map((r) => r.id),
      event.id,
    ),
  ]);
  let contact = first;
  let stale = false;
  const caused: RuleEvent[] = [];
  for (const rule of candidates) {
    if (stale) {
      contact = await loadContact(tenant, event.contact_id);
      stale = false;
    }
    if (!contact) break;
    const previous = prior.get(rule.id);
    if (!previous && !evaluateCondition(rule.conditions, { contact, properties: event.properties }).ok)
      continue;
    if (previous?.status === "done") caused.push(...(await replayCaused(event, rule.id, previous.actions)));
    else {
      const opened = await openRun(tenant, rule, event);
      if (opened.done) caused.push(...(await replayCaused(event, rule.id, opened.run.actions)));
      else {
        const result = await executeRun(deps, rule, opened.run, contact, event);
        caused.push(...result.caused);
        stale = result.changedContact;
      }
    }
    if (rule.stopProcessing) break;
  }
  return caused;
}

/**
 * Evaluate an event and, breadth first, the events its actions cause (tag_added, lead_score_high),
 * each one level deeper; MAX_RULE_DEPTH bounds the chain, so rules that feed each other stop.
 */
export async function evaluateRules(deps: RuleDeps, event: RuleEvent): Promise<void> {
  const queue: RuleEvent[] = [event];
  for (let e = queue.shift(); e; e = queue.shift()) {
    // An event an action caused (a tag, a score), or a contact just created, may also start journeys.
    if (e.depth > 0 || e.trigger === "contact_created") await deps.onCaused?.(e);
    queue.push(...(await evaluateOne(deps, e)));
  }
}

/** Evaluate events caused by a queued action (the rule-actions consumer). */
export async function evaluateCaused(deps: RuleDeps, events: RuleEvent[]): Promise<void> {
  for (const e of events) await evaluateRules(deps, e);
}
