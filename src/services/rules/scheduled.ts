import { eq, sql } from "drizzle-orm";
import { ruleRuns, rules } from "../../db/schema";
import { now } from "../../lib/clock";
import type { Disposition } from "../../lib/result";
import { scoped } from "../../lib/tenant";
import { executeAction } from "./actions";
import { evaluateCaused, followUps, loadContact, outcomeReason, replayCaused } from "./engine";
import { type ActionPatch, claimAction, getRun, recordActions } from "./runs";
import type { RuleDeps, ScheduledAction } from "./types";

/** ack with the action's final status as its note; retry: the action is `scheduled` again. */
export type ScheduledResult = Disposition;

/**
 * Execute one queued action (a delayed one, a webhook, an SMS). The action is claimed first
 * (scheduled -> running, one conditional UPDATE), so a redelivered or duplicate message finds it
 * claimed or final and does nothing. A rule deleted or disabled since it matched skips its pending
 * actions. Events the action causes are evaluated one level deeper, as inline.
 */
export async function runScheduledAction(deps: RuleDeps, msg: ScheduledAction): Promise<ScheduledResult> {
  const { tenant } = deps;
  const run = await claimAction(tenant, msg.run_id, msg.action_index);
  if (!run) {
    // Final already (a redelivery): evaluate what it caused again, in case that was interrupted;
    // events already evaluated find their runs done.
    const done = await getRun(tenant, msg.run_id);
    const rec = done?.actions[msg.action_index];
    if (done && rec) await evaluateCaused(deps, await replayCaused(done.event, done.ruleId, [rec]));
    return { action: "ack", note: "not claimable (already handled or held)" };
  }
  const index = msg.action_index;
  const rec = run.actions[index];
  const finish = async (patch: ActionPatch) => {
    await recordActions(tenant, run.id, new Map([[index, { claimed_until: null, at: now(), ...patch }]]));
    return { action: "ack", note: patch.status ?? "unknown" } satisfies Disposition;
  };
  const action = run.plan[index];
  if (!rec || !action)
    return finish({ status: "skipped", reason: "action missing from the rule's snapshot" });
  let next: Awaited<ReturnType<typeof followUps>>;
  let result: ScheduledResult;
  try {
    const [rule, contact] = await Promise.all([
      tenant.db
        .select({ enabled: rules.enabled, name: rules.name })
        .from(rules)
        .where(scoped(tenant, rules, eq(rules.id, run.ruleId)))
        .get(),
      loadContact(tenant, run.event.contact_id),
    ]);
    if (!rule) return finish({ status: "skipped", reason: "the rule was deleted" });
    if (!rule.enabled) return finish({ status: "skipped", reason: "the rule was disabled" });
    if (!contact) return finish({ status: "skipped", reason: "contact no longer exists" });
    const outcome = await executeAction(
      { deps, rule: { id: run.ruleId, name: rule.name }, event: run.event, index, contact },
      action,
    );
    if (outcome.status === "retry") {
      await recordActions(
        tenant,
        run.id,
        new Map([
          [
            index,
            {
              status: "scheduled",
              reason: `retrying: ${outcome.reason}`,
              claimed_until: null,
              attempts: (rec.attempts ?? 0) + 1,
            },
          ],
        ]),
      );
      return { action: "retry", reason: outcome.reason, retryAfterSeconds: outcome.retryAfterSeconds };
    }
    next = await followUps(run.event, run.ruleId, index, outcome);
    result = await finish({
      status: outcome.status,
      reason: [outcomeReason(outcome), next.note].filter(Boolean).join("; ") || null,
      attempts: (rec.attempts ?? 0) + 1,
      caused: next.keep,
    });
  } catch (e) {
    // Unexpected (D1 down): give the action back so the retried message can claim it.
    await recordActions(
      tenant,
      run.id,
      new Map([[index, { status: "scheduled", claimed_until: null }]]),
    ).catch(() => undefined);
    throw e;
  }
  // Outside the try: the action is final now, so a failure here must not hand it back. The retried
  // message finds it final and evaluates what it caused again (above).
  await evaluateCaused(deps, next.events);
  return result;
}

/**
 * The dead-letter consumer's record: an action whose retries ran out is failed with the last
 * reason, unless it reached a final status meanwhile.
 */
export async function recordGaveUp(deps: RuleDeps, msg: ScheduledAction): Promise<void> {
  const { tenant } = deps;
  const status = sql`json_extract(${ruleRuns.actions}, ${`$[${msg.action_index}].status`})`;
  const reason = sql`json_extract(${ruleRuns.actions}, ${`$[${msg.action_index}].reason`})`;
  await tenant.db
    .update(ruleRuns)
    .set({
      actions: sql`json_set(${ruleRuns.actions}, ${`$[${msg.action_index}].status`}, 'failed',
        ${`$[${msg.action_index}].reason`}, 'gave up after retries: ' || coalesce(${reason}, 'unknown'),
        ${`$[${msg.action_index}].at`}, ${now()})`,
    })
    .where(scoped(tenant, ruleRuns, eq(ruleRuns.id, msg.run_id), sql`${status} in ('scheduled', 'running')`));
}
