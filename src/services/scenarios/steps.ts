import { and, eq, inArray } from "drizzle-orm";
import { scenarioSteps, scenarios, stepVariants, templates } from "../../db/schema";
import { now } from "../../lib/clock";
import { ApiError, type ErrorDetail, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { scoped, type Tenant } from "../../lib/tenant";
import type { AutoWinner, WinnerDecision } from "../ab-winner/decide";
import { parseJson } from "../../lib/json";
import { DEFAULT_VARIANT, type StepDef, type StepTrigger } from "./types";

export interface StepInput {
  step_order: number;
  name: string;
  trigger: StepTrigger;
  parent_step_order?: number | null;
  delay_days?: number;
  delay_hours?: number;
  delay_minutes?: number;
  template_id: string;
  variants?: { name: string; template_id: string; weight: number }[];
  auto_winner?: AutoWinner | null;
}

export const totalDelayMinutes = (s: StepInput) =>
  (s.delay_days ?? 0) * 1440 + (s.delay_hours ?? 0) * 60 + (s.delay_minutes ?? 0);

/**
 * Structural checks of a step list: the reasons API.md names (a cycle, a missing parent, an entry
 * step with a parent, weights that are not positive) and the ones they imply.
 */
export function validateSteps(steps: readonly StepInput[]): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const byOrder = new Map<number, StepInput>();
  steps.forEach((s, i) => {
    const at = `steps.${i}`;
    if (byOrder.has(s.step_order))
      errors.push({ field: `${at}.step_order`, message: `duplicate step_order ${s.step_order}` });
    byOrder.set(s.step_order, s);
    const parent = s.parent_step_order ?? null;
    if (s.trigger === "entry" && parent !== null) {
      errors.push({ field: `${at}.parent_step_order`, message: "an entry step has no parent" });
    }
    if (s.trigger !== "entry" && parent === null) {
      errors.push({
        field: `${at}.parent_step_order`,
        message: `a ${s.trigger} step must name its parent step`,
      });
    }
    const names = new Set<string>();
    if (s.auto_winner && (s.variants?.length ?? 0) < 2)
      errors.push({ field: `${at}.auto_winner`, message: "auto_winner needs at least two variants" });
    (s.variants ?? []).forEach((v, j) => {
      if (!(Number.isFinite(v.weight) && v.weight > 0)) {
        errors.push({ field: `${at}.variants.${j}.weight`, message: "weight must be a positive number" });
      }
      if (names.has(v.name))
        errors.push({ field: `${at}.variants.${j}.name`, message: `duplicate variant name ${v.name}` });
      names.add(v.name);
    });
  });
  steps.forEach((s, i) => {
    const parent = s.parent_step_order ?? null;
    if (parent !== null && !byOrder.has(parent)) {
      errors.push({ field: `steps.${i}.parent_step_order`, message: `parent step ${parent} does not exist` });
    }
  });
  // Cycles: walk up from each step; coming back to a step already on the path is a cycle.
  const reported = new Set<number>();
  for (const s of steps) {
    const path: number[] = [];
    let cur: StepInput | undefined = s;
    while (cur && cur.parent_step_order !== null && cur.parent_step_order !== undefined) {
      if (path.includes(cur.step_order)) {
        const loop = path.slice(path.indexOf(cur.step_order));
        if (!loop.some((o) => reported.has(o))) {
          for (const o of loop) reported.add(o);
          const i = steps.findIndex((x) => x.step_order === cur?.step_order);
          errors.push({
            field: `steps.${i}.parent_step_order`,
            message: `steps ${[...loop, cur.step_order].join(" -> ")} form a cycle`,
          });
        }
        break;
      }
      path.push(cur.step_order);
      cur = byOrder.get(cur.parent_step_order);
    }
  }
  return errors;
}

function stepsInvalid(details: ErrorDetail[]): ApiError {
  const summary = details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join("; ");
  return new ApiError("STEPS_INVALID", summary, details);
}

/**
 * Replace the steps: validate, then write them as a new version. Older versions stay, because
 * running sequences keep the version they started with; the version bump is conditional, so two
 * concurrent edits cannot both win (the loser answers 409).
 */
export async function saveSteps(tenant: Tenant, scenarioId: string, steps: StepInput[]) {
  const scenario = await tenant.db
    .select({ status: scenarios.status, stepsVersion: scenarios.stepsVersion })
    .from(scenarios)
    .where(scoped(tenant, scenarios, eq(scenarios.id, scenarioId)))
    .get();
  if (!scenario) throw notFound("scenario");
  if (scenario.status === "stopped")
    throw new ApiError("ILLEGAL_TRANSITION", "a stopped scenario cannot be edited");
  const details = validateSteps(steps);
  if (details.length) throw stepsInvalid(details);
  await assertTemplatesExist(tenant, steps);

  const version = scenario.stepsVersion + 1;
  const at = now();
  const stepRows: (typeof scenarioSteps.$inferInsert)[] = [];
  const variantRows: (typeof stepVariants.$inferInsert)[] = [];
  for (const s of steps) {
    const stepId = newId("stp", at);
    stepRows.push({
      id: stepId,
      organizationId: tenant.orgId,
      scenarioId,
      version,
      stepOrder: s.step_order,
      name: s.name,
      trigger: s.trigger,
      parentStepOrder: s.parent_step_order ?? null,
      delayMinutes: totalDelayMinutes(s),
      templateId: s.template_id,
      autoWinner: s.auto_winner ? JSON.stringify(s.auto_winner) : null,
    });
    const variants = s.variants?.length
      ? s.variants
      : [{ name: DEFAULT_VARIANT, template_id: s.template_id, weight: 1 }];
    for (const v of variants) {
      variantRows.push({
        id: orderedId("var", at, variantRows.length),
        organizationId: tenant.orgId,
        stepId,
        name: v.name,
        templateId: v.template_id,
        weight: v.weight,
      });
    }
  }
  const { db } = tenant;
  const bump = db
    .update(scenarios)
    .set({ stepsVersion: version, updatedAt: at })
    .where(
      scoped(
        tenant,
        scenarios,
        eq(scenarios.id, scenarioId),
        eq(scenarios.stepsVersion, scenario.stepsVersion),
      ),
    )
    .returning({ id: scenarios.id });
  // D1 allows 100 bound parameters per statement: chunk the multi-row inserts.
  const inserts = [
    ...chunk(stepRows, 9).map((rows) => db.insert(scenarioSteps).values(rows)),
    ...chunk(variantRows, 14).map((rows) => db.insert(stepVariants).values(rows)),
  ];
  try {
    const [bumped] = await db.batch([bump, ...inserts]);
    if (!bumped.length)
      throw new ApiError("STALE_WRITE", "the steps were changed concurrently; read them again and retry");
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (
      /UNIQUE constraint failed/.test(`${e instanceof Error ? e.message : e} ${(e as Error)?.cause ?? ""}`)
    ) {
      throw new ApiError("STALE_WRITE", "the steps were changed concurrently; read them again and retry");
    }
    throw e;
  }
  return version;
}

async function assertTemplatesExist(tenant: Tenant, steps: StepInput[]) {
  const ids = [
    ...new Set(steps.flatMap((s) => [s.template_id, ...(s.variants ?? []).map((v) => v.template_id)])),
  ];
  const found = new Set<string>();
  for (const part of chunk(ids, 90)) {
    const rows = await tenant.db
      .select({ id: templates.id })
      .from(templates)
      .where(scoped(tenant, templates, inArray(templates.id, part)))
      .all();
    for (const r of rows) found.add(r.id);
  }
  const details: ErrorDetail[] = [];
  steps.forEach((s, i) => {
    if (!found.has(s.template_id))
      details.push({ field: `steps.${i}.template_id`, message: `template ${s.template_id} not found` });
    (s.variants ?? []).forEach((v, j) => {
      if (!found.has(v.template_id))
        details.push({
          field: `steps.${i}.variants.${j}.template_id`,
          message: `template ${v.template_id} not found`,
        });
    });
  });
  if (details.length) throw stepsInvalid(details);
}

export type StepWithStats = Omit<StepDef, "variants"> & {
  variants: (StepDef["variants"][number] & {
    sent: number;
    opened: number;
    clicked: number;
    replied: number;
  })[];
  auto_winner: AutoWinner | null;
  winner: WinnerDecision | null;
};

/** The steps of one version, ordered, with their variants and the variants' counters. */
export async function loadSteps(
  tenant: Tenant,
  scenarioId: string,
  version: number,
): Promise<StepWithStats[]> {
  const { db } = tenant;
  const [steps, variants] = await db.batch([
    db
      .select()
      .from(scenarioSteps)
      .where(
        scoped(
          tenant,
          scenarioSteps,
          eq(scenarioSteps.scenarioId, scenarioId),
          eq(scenarioSteps.version, version),
        ),
      )
      .orderBy(scenarioSteps.stepOrder),
    db
      .select()
      .from(stepVariants)
      .where(
        and(
          scoped(tenant, stepVariants),
          inArray(
            stepVariants.stepId,
            db
              .select({ id: scenarioSteps.id })
              .from(scenarioSteps)
              .where(
                scoped(
                  tenant,
                  scenarioSteps,
                  eq(scenarioSteps.scenarioId, scenarioId),
                  eq(scenarioSteps.version, version),
                ),
              ),
          ),
        ),
      )
      .orderBy(stepVariants.id),
  ]);
  return steps.map((s) => ({
    step_id: s.id,
    step_order: s.stepOrder,
    name: s.name,
    trigger: s.trigger,
    parent_step_order: s.parentStepOrder,
    delay_minutes: s.delayMinutes,
    template_id: s.templateId,
    auto_winner: parseJson<AutoWinner | null>(s.autoWinner, null),
    winner: parseJson<WinnerDecision | null>(s.winner, null),
    variants: variants
      .filter((v) => v.stepId === s.id)
      .map((v) => ({
        id: v.id,
        name: v.name,
        template_id: v.templateId,
        weight: v.weight,
        sent: v.sent,
        opened: v.opened,
        clicked: v.clicked,
        replied: v.replied,
      })),
  }));
}

/** An id whose sort order follows `seq` within one write, so variants read back in the order given. */
const orderedId = (prefix: string, at: number, seq: number) => {
  const id = newId(prefix, at);
  const cut = prefix.length + 1 + 12;
  return `${id.slice(0, cut)}${seq.toString(16).padStart(4, "0")}${id.slice(cut + 4)}`;
};

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
