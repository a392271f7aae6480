import { and, asc, eq, gt, sql } from "drizzle-orm";
import { contactSequences, type SEQUENCE_STATUSES } from "../../db/schema";
import { iso } from "../../lib/clock";
import { decodeCursor, page } from "../../lib/pagination";
import { scoped, type Tenant } from "../../lib/tenant";
import { getScenario, scenarioView } from "./store";
import { bestProbabilities } from "../ab-winner/decide";
import { loadSteps, type StepWithStats } from "./steps";

const rate = (n: number, sent: number) => (sent > 0 ? Math.round((n / sent) * 10_000) / 10_000 : 0);
const counters = (c: { sent: number; opened: number; clicked: number; replied: number }) => ({
  sent: c.sent,
  opened: c.opened,
  clicked: c.clicked,
  replied: c.replied,
  open_rate: rate(c.opened, c.sent),
  click_rate: rate(c.clicked, c.sent),
  reply_rate: rate(c.replied, c.sent),
});

export function stepView(s: StepWithStats) {
  const total = s.variants.reduce(
    (a, v) => ({
      sent: a.sent + v.sent,
      opened: a.opened + v.opened,
      clicked: a.clicked + v.clicked,
      replied: a.replied + v.replied,
    }),
    { sent: 0, opened: 0, clicked: 0, replied: 0 },
  );
  const best =
    s.variants.length > 1 ? bestProbabilities(s.variants, s.auto_winner?.metric ?? "click_rate") : null;
  return {
    step_order: s.step_order,
    name: s.name,
    trigger: s.trigger,
    parent_step_order: s.parent_step_order,
    delay_days: Math.floor(s.delay_minutes / 1440),
    delay_hours: Math.floor((s.delay_minutes % 1440) / 60),
    delay_minutes: s.delay_minutes % 60,
    template_id: s.template_id,
    ...counters(total),
    variants: s.variants.map((v) => ({
      name: v.name,
      template_id: v.template_id,
      weight: v.weight,
      ...counters(v),
      ...(best ? { probability_best: best.get(v.name) ?? 0 } : {}),
    })),
    auto_winner: s.auto_winner,
    winner: s.winner,
  };
}

/**
 * Sequences of the scenario counted by status: active, completed, stopped and failed always; a
 * journey's converted and exited when there are some.
 */
export async function sequenceCounts(tenant: Tenant, scenarioId: string) {
  const rows = await tenant.db
    .select({ status: contactSequences.status, n: sql<number>`count(*)` })
    .from(contactSequences)
    .where(scoped(tenant, contactSequences, eq(contactSequences.scenarioId, scenarioId)))
    .groupBy(contactSequences.status)
    .all();
  const out: Record<"active" | "completed" | "stopped" | "failed", number> &
    Partial<Record<(typeof SEQUENCE_STATUSES)[number], number>> = {
    active: 0,
    completed: 0,
    stopped: 0,
    failed: 0,
  };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** GET /scenarios/:id: the scenario, the steps of a version (the current one by default) with stats, sequence counts. */
export async function scenarioDetail(tenant: Tenant, id: string, version?: number) {
  const s = await getScenario(tenant, id);
  const [steps, sequences] = await Promise.all([
    loadSteps(tenant, id, version ?? s.stepsVersion),
    sequenceCounts(tenant, id),
  ]);
  return { ...scenarioView(s), steps: steps.map(stepView), sequences };
}

/** Per contact: status, current step, next run time (keyset pagination on contact id). */
export async function listSequences(
  tenant: Tenant,
  scenarioId: string,
  q: { limit: number; cursor?: string; status?: (typeof SEQUENCE_STATUSES)[number] },
) {
  await getScenario(tenant, scenarioId);
  const after = decodeCursor(q.cursor);
  const rows = await tenant.db
    .select()
    .from(contactSequences)
    .where(
      scoped(
        tenant,
        contactSequences,
        and(
          eq(contactSequences.scenarioId, scenarioId),
          after ? gt(contactSequences.contactId, String(after[0])) : undefined,
          q.status ? eq(contactSequences.status, q.status) : undefined,
        ),
      ),
    )
    .orderBy(asc(contactSequences.contactId))
    .limit(q.limit + 1)
    .all();
  const { items, next_cursor } = page(rows, q.limit, (r) => [r.contactId]);
  return {
    items: items.map((r) => ({
      id: r.id,
      contact_id: r.contactId,
      status: r.status,
      current_step_order: r.currentStepOrder,
      next_run_at: iso(r.nextRunAt),
      steps_version: r.stepsVersion,
      stop_reason: r.stopReason,
      updated_at: iso(r.updatedAt) as string,
    })),
    next_cursor,
  };
}
