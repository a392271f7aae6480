import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { scenarioDetail } from "../../services/scenarios/stats";
import { type Transition, transitionScenario } from "../../services/scenarios/transitions";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { ScenarioDetail } from "./schema";

const SUMMARY: Record<Transition, string> = {
  start:
    "Start (draft -> active): every eligible contact is enrolled once, in pages, through the ENROLL queue",
  pause: "Pause (active -> paused): nothing is sent; due steps wait",
  resume: "Resume (paused -> active): the steps that waited continue, none lost, none doubled",
  stop: "Stop (-> stopped): every sequence ends",
};

/** One route per transition; they differ only in the verb. */
const route = (t: Transition) =>
  createRoute({
    method: "post",
    path: `/api/v1/scenarios/{id}/${t}`,
    operationId: `${t}Scenario`,
    tags: ["Scenarios"],
    summary: SUMMARY[t],
    security,
    request: { params: idParam },
    responses: {
      200: jsonResponse(ScenarioDetail, "The scenario with its new status"),
      404: errors[404],
      409: errors[409],
      ...(t === "start" ? { 422: errors[422] } : {}),
    },
  });

export function registerTransitionRoutes(app: App) {
  for (const t of ["start", "pause", "resume", "stop"] as const) {
    app.openapi(route(t), async (c) => {
      const tenant = c.get("tenant");
      const { id } = c.req.valid("param");
      await transitionScenario(c.env, tenant, id, t);
      return c.json(await scenarioDetail(tenant, id), 200);
    });
  }
}
