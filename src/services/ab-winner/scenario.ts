/**
 * Scenario steps' automatic winners: decided after the human opens, clicks and replies that move
 * the figures (a subscriber of the EVENTS consumer), read by the engine when it chooses a variant.
 */
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { scenarioSteps, stepVariants } from "../../db/schema";
import { now } from "../../lib/clock";
import { parseJson } from "../../lib/json";
import { scoped, type Tenant } from "../../lib/tenant";
import { type AutoWinner, decide, type WinnerDecision } from "./decide";
import type { EventSubscriber } from "../events/types";

/**
 * A decided winner never changes: cached for good; "not yet" is cached for a minute, so another
 * isolate may go on choosing by weight for up to a minute after the decision.
 */
const cache = new Map<string, { winner: string | null; until: number }>();
const UNDECIDED_TTL_MS = 60_000;

export async function stepWinner(tenant: Tenant, stepId: string): Promise<string | null> {
  const hit = cache.get(stepId);
  if (hit && (hit.winner !== null || hit.until > Date.now())) return hit.winner;
  const row = await tenant.db
    .select({ winner: scenarioSteps.winner })
    .from(scenarioSteps)
    .where(scoped(tenant, scenarioSteps, eq(scenarioSteps.id, stepId)))
    .get();
  const winner = parseJson<WinnerDecision | null>(row?.winner, null)?.variant ?? null;
  cache.set(stepId, { winner, until: Date.now() + UNDECIDED_TTL_MS });
  return winner;
}

/** Decide every undecided auto_winner step of this scenario and order; answers the decisions taken and how many stay undecided. */
export async function decideSteps(tenant: Tenant, scenarioId: string, stepOrder: number, at = now()) {
  const steps = await tenant.db
    .select({ id: scenarioSteps.id, autoWinner: scenarioSteps.autoWinner })
    .from(scenarioSteps)
    .where(
      scoped(
        tenant,
        scenarioSteps,
        and(
          eq(scenarioSteps.scenarioId, scenarioId),
          eq(scenarioSteps.stepOrder, stepOrder),
          isNotNull(scenarioSteps.autoWinner),
          isNull(scenarioSteps.winner),
        ),
      ),
    )
    .all();
  const taken: WinnerDecision[] = [];
  let undecided = steps.length;
  for (const step of steps) {
    const settings = parseJson<AutoWinner | null>(step.autoWinner, null);
    if (!settings) continue;
    const variants = await tenant.db
      .select({
        name: stepVariants.name,
        sent: stepVariants.sent,
        opened: stepVariants.opened,
        clicked: stepVariants.clicked,
        replied: stepVariants.replied,
      })
      .from(stepVariants)
      .where(scoped(tenant, stepVariants, eq(stepVariants.stepId, step.id)))
      .orderBy(stepVariants.id)
      .all();
    const decision = decide(settings, variants, at);
    if (!decision) continue;
    // Conditional: two consumers deciding at once record one decision.
    const won = await tenant.db
      .update(scenarioSteps)
      .set({ winner: JSON.stringify(decision) })
      .where(
        scoped(tenant, scenarioSteps, eq(scenarioSteps.id, step.id), sql`${scenarioSteps.winner} IS NULL`),
      )
      .returning({ id: scenarioSteps.id });
    undecided--;
    if (won.length) {
      taken.push(decision);
      cache.set(step.id, { winner: decision.variant, until: Number.POSITIVE_INFINITY });
    }
  }
  return Object.assign(taken, { undecided });
}

/**
 * Steps known to have no undecided auto_winner, per isolate for a minute: most engagement events
 * concern such steps, and they then cost no D1 read. (A step whose steps are replaced by PUT /steps
 * with an auto_winner is seen within the minute.)
 */
const settled = new Map<string, number>();

/** After a human open, click or reply on a scenario message: is there a winner now? */
export const stepWinnerSubscriber: EventSubscriber = {
  name: "ab-winner",
  async handle(event, { tenant }) {
    if (event.machine || !event.scenario_id || event.step_order === null) return;
    if (event.type !== "opened" && event.type !== "clicked" && event.type !== "replied") return;
    const key = `${tenant.orgId}:${event.scenario_id}:${event.step_order}`;
    if ((settled.get(key) ?? 0) > Date.now()) return;
    const open = await decideSteps(tenant, event.scenario_id, event.step_order);
    if (open.undecided === 0) settled.set(key, Date.now() + UNDECIDED_TTL_MS);
  },
};
