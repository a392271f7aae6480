import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getScoring, putScoring } from "../../services/events/scoring";
import { errors, jsonBody, jsonResponse, security } from "../openapi";

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
const ScoringInput = Scoring.partial()
  .extend({
    weekly_decay: z.number().int().min(-1000).max(1000).optional(),
    decay: z.number().int().min(-1000).max(1000).optional(),
  })
  .strict()
  .openapi("ScoringSettingsInput");

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/settings/scoring",
  operationId: "getScoringSettings",
  tags: ["Settings"],
  summary: "Engagement scoring: points per event, weekly decay, hot-lead threshold",
  security,
  responses: { 200: jsonResponse(Scoring, "Scoring settings") },
});

const putRoute = createRoute({
  method: "put",
  path: "/api/v1/settings/scoring",
  operationId: "putScoringSettings",
  tags: ["Settings"],
  summary: "Change engagement scoring (fields left out keep their value)",
  security,
  request: { body: jsonBody(ScoringInput) },
  responses: { 200: jsonResponse(Scoring, "Scoring settings"), 422: errors[422] },
});

export function registerScoringSettings(app: App) {
  app.openapi(getRoute, async (c) => c.json(await getScoring(c.get("tenant")), 200));
  app.openapi(putRoute, async (c) => {
    const { decay, weekly_decay, ...rest } = c.req.valid("json");
    const d = weekly_decay ?? decay;
    const next = await putScoring(c.get("tenant"), {
      ...rest,
      ...(d !== undefined ? { weekly_decay: Math.abs(d) } : {}),
    });
    return c.json(next, 200);
  });
}
