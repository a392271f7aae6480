/**
 * Scenario lifecycle: draft -> active (start) <-> paused (pause/resume); any of them -> stopped.
 * Each transition is one conditional UPDATE, so concurrent requests cannot both win; anything
 * else answers 409 ILLEGAL_TRANSITION.
 */
import type { EnrollMessage } from "../../contracts/queue-messages";
import { now } from "../../lib/clock";
import { ApiError, notFound } from "../../lib/errors";
import type { Tenant } from "../../lib/tenant";
import { loadSteps } from "./steps";
import { getScenario, type ScenarioRow } from "./store";
import { eligibleCountSql, scenarioAudience } from "./eligibility";
import { WITHDRAWN_PAUSED, WITHDRAWN_STOPPED } from "./engine/ports";
import { startSweep } from "./enrollment";
import { assertStartable } from "./manage";
import { assertSendingDomain } from "../domains/enforce";
import { assertTemplateIdsSendable } from "../templates/sendable";
import { entersBySegment } from "./flow/entry";
import { configOf } from "../../config";
import { withdrawScenarioStatement } from "../ledger/settle";
import { tenantBatch, tenantSql } from "../../lib/tenant-sql";

export type Transition = "start" | "pause" | "resume" | "stop";

const FROM: Record<Transition, ScenarioRow["status"][]> = {
  start: ["draft"],
  pause: ["active"],
  resume: ["paused"],
  stop: ["draft", "active", "paused"],
};
const TO: Record<Transition, ScenarioRow["status"]> = {
  start: "active",
  pause: "paused",
  resume: "active",
  stop: "stopped",
};

function illegal(t: Transition, status: string) {
  return new ApiError("ILLEGAL_TRANSITION", `cannot ${t} a scenario that is ${status}`, [
    { field: "status", message: `${t} needs status ${FROM[t].join(" or ")}` },
  ]);
}

/** The conditional UPDATE of a transition; start also snapshots the eligible count. */
async function transition(tenant: Tenant, id: string, t: Transition, reason: string): Promise<boolean> {
  const at = now();
  const from = JSON.stringify(FROM[t]);
  if (t === "start") {
    const current = await getScenario(tenant, id);
    // A journey entered by an event, a date or POST /enroll has no audience to scan at start.
    const scan = entersBySegment(current);
    const count = scan
      ? eligibleCountSql(current, 5, await scenarioAudience(tenant, current))
      : { sql: "0" as const, params: [] };
    const res = await tenantSql(
      tenant,
      `UPDATE scenarios SET status = 'active', started_at = ?3, updated_at = ?3, enrolled_count = 0,
           enrollment_done_at = ${scan ? "NULL" : "?3"}, eligible_count = ${count.sql}
         WHERE organization_id = ?1 AND id = ?2 AND status IN (SELECT value FROM json_each(?4))`,
      id,
      at,
      from,
      ...count.params,
    ).run();
    return res.meta.changes > 0;
  }
  // Pause and stop withdraw the sends nobody has claimed yet, in the same transaction: nothing is
  // sent while paused, and the sequences plan those steps again on resume.
  const withdraw = t === "pause" ? WITHDRAWN_PAUSED : t === "stop" ? WITHDRAWN_STOPPED : null;
  const statements = [
    tenantSql(
      tenant,
      "UPDATE scenarios SET status = ?3, updated_at = ?4, paused_reason = ?6 WHERE organization_id = ?1 AND id = ?2 AND status IN (SELECT value FROM json_each(?5))",
      id,
      TO[t],
      at,
      from,
      t === "pause" ? reason : null,
    ),
  ];
  if (withdraw) {
    statements.push(withdrawScenarioStatement(tenant, id, withdraw, at));
  }
  const [res] = await tenantBatch(tenant, statements);
  return (res?.meta.changes ?? 0) > 0;
}

/** Apply a transition and its follow-up (enrollment scan, wake or stop sweep); answers the scenario. */
export async function transitionScenario(
  env: Env,
  tenant: Tenant,
  id: string,
  t: Transition,
  /** Why a pause happens: "manual" (a user), "bounce_rate" or "complaint_rate" (the deliverability guard). */
  reason = "manual",
): Promise<ScenarioRow> {
  const before = await getScenario(tenant, id);
  if (!FROM[t].includes(before.status)) throw illegal(t, before.status);
  if (t === "start" && before.stepsVersion === 0) {
    throw new ApiError("STEPS_INVALID", "define the journey (PUT /flow or PUT /steps) before starting", [
      { field: "steps", message: "no steps" },
    ]);
  }
  if (t === "start") {
    await assertStartable(tenant, configOf(env).ENCRYPTION_KEY, before);
    const steps = await loadSteps(tenant, id, before.stepsVersion);
    await assertTemplateIdsSendable(
      tenant,
      steps.flatMap((s) => [s.template_id, ...s.variants.map((v) => v.template_id)]),
      configOf(env).PUBLIC_BASE_URL,
    );
  }
  if (t === "start" || t === "resume") await assertSendingDomain(tenant, before.fromEmail);
  if (!(await transition(tenant, id, t, reason))) {
    const now = await getScenario(tenant, id).catch(() => null);
    if (!now) throw notFound("scenario");
    throw illegal(t, now.status);
  }
  const queue = env.ENROLL_QUEUE;
  if (t === "start" && entersBySegment(before)) {
    const first: EnrollMessage = { scenario_id: id, organization_id: tenant.orgId, after_contact_id: null };
    await queue.send(first);
  } else if (t === "resume") {
    await startSweep(env, tenant, id, "wake");
  } else if (t === "stop" && before.status !== "draft") {
    await startSweep(env, tenant, id, "stop");
  }
  return getScenario(tenant, id);
}
