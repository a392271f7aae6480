import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getScoring, putScoring } from "../../services/events/apply/scoring";
import type { Tenant } from "../../lib/tenant";
import { registerSettings } from "./helper";

const points = z.number().int().min(-1000).max(1000);

const Scoring = z
  .object({
    first_open: points,
    later_open: points,
    first_click: points,
    later_click: points,
    bounce: points,
    reply: points,
    weekly_decay: z.number().int().min(0).max(1000),
    hot_threshold: z.number().int().min(0).max(1_000_000),
  })
  .openapi("ScoringSettings");

/** Any subset; `decay` is accepted for weekly_decay and a negative decay means the same as its size. */
export const ScoringInput = Scoring.partial()
  .extend({
    weekly_decay: z.number().int().min(-1000).max(1000).optional(),
    decay: z.number().int().min(-1000).max(1000).optional(),
  })
  .strict()
  .openapi("ScoringSettingsInput");

/** Save a ScoringInput: `decay` stands for weekly_decay, and a decay counts by its size (API and web UI). */
export function saveScoring(tenant: Tenant, { decay, weekly_decay, ...rest }: z.infer<typeof ScoringInput>) {
  const d = weekly_decay ?? decay;
  return putScoring(tenant, { ...rest, ...(d !== undefined ? { weekly_decay: Math.abs(d) } : {}) });
}

export const registerScoringSettings = (app: App) =>
  registerSettings(app, {
    name: "scoring",
    title: "Engagement scoring: points per event, weekly decay, hot-lead threshold",
    schema: Scoring,
    input: ScoringInput,
    get: getScoring,
    put: saveScoring,
  });
