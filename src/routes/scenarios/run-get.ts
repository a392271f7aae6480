import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getRun } from "../../services/scenarios/flow/run-list";
import { errors, jsonResponse, security } from "../openapi";
import { RunDetail, RunParams } from "./flow-schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/scenarios/{id}/runs/{run_id}",
  operationId: "getScenarioRun",
  tags: ["Journeys"],
  summary: "One run with its history: each node it passed, the outcome and when",
  security,
  request: { params: RunParams },
  responses: {
    200: jsonResponse(RunDetail, "The run"),
    404: errors[404],
  },
});

export const registerGetRun = (app: App) =>
  app.openapi(route, async (c) => {
    const { id, run_id } = c.req.valid("param");
    return c.json(await getRun(c.env, c.get("tenant"), id, run_id), 200);
  });
