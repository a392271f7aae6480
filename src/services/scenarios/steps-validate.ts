import type { StepInput } from "./types";
import { ApiError, type ErrorDetail } from "../../lib/errors";

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

export function stepsInvalid(details: ErrorDetail[]): ApiError {
  const summary = details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join("; ");
  return new ApiError("STEPS_INVALID", summary, details);
}
