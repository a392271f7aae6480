import { and, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { scenarioSteps, scenarios, stepVariants, templates } from "../../db/schema";
import { now } from "../../lib/clock";
import { ApiError, type ErrorDetail, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { scoped, type Tenant } from "../../lib/tenant";
import type { AutoWinner, WinnerDecision } from "../ab-winner/decide";
import { parseJson } from "../../lib/json";
import { DEFAULT_VARIANT, type StepDef, type StepInput } from "./types";
import { stepsInvalid, validateSteps } from "./steps-validate";

export { validateSteps };

export const totalDelayMinutes = (s: StepInput) =>
  (s.delay_days ?? 0) * 1440 + (s.delay_hours ?? 0) * 60 + (s.delay_minutes ?? 0);

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

  // Steps make the journey a steps journey again (its segment entry; no behaviour events to hear).
  return writeVersion(tenant, scenarioId, scenario.stepsVersion, steps, {
    set: { entry: null, listens: "[]" },
  });
}

/**
 * Write a new version of the journey: its email steps (scenario_steps and step_variants rows, which
 * sending, the counters and the A/B winner read), what the caller adds to the same batch (a flow
 * row), and the conditional version bump, so two concurrent edits cannot both win (409).
 */
export async function writeVersion(
  tenant: Tenant,
  scenarioId: string,
  previous: number,
  steps: StepInput[],
  more: {
    statements?: (version: number) => BatchItem<"sqlite">[];
    set?: Partial<typeof scenarios.$inferInsert>;
  } = {},
): Promise<number> {
  const version = previous + 1;
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
    .set({ ...more.set, stepsVersion: version, updatedAt: at })
    .where(scoped(tenant, scenarios, eq(scenarios.id, scenarioId), eq(scenarios.stepsVersion, previous)))
    .returning({ id: scenarios.id });
  // D1 allows 100 bound parameters per statement: chunk the multi-row inserts.
  const inserts = [
    ...(more.statements?.(version) ?? []),
    ...chunk(stepRows, 9).map((rows) => db.insert(scenarioSteps).values(rows)),
    ...chunk(variantRows, 14).map((rows) => db.insert(stepVariants).values(rows)),
  ];
  try {
    const [bumped] = await db.batch([bump, ...inserts] as [typeof bump, ...BatchItem<"sqlite">[]]);
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

/** Strip the counters: a sequence keeps the definition of its version, not statistics. */
export const stepDefs = (steps: StepDef[]): StepDef[] =>
  steps.map((s) => ({
    step_id: s.step_id,
    step_order: s.step_order,
    name: s.name,
    trigger: s.trigger,
    parent_step_order: s.parent_step_order,
    delay_minutes: s.delay_minutes,
    template_id: s.template_id,
    variants: s.variants.map((v) => ({
      id: v.id,
      name: v.name,
      template_id: v.template_id,
      weight: v.weight,
    })),
  }));
