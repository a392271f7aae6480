import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { scenarioDetail } from "../../services/scenarios/stats";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { DetailQuery, ScenarioDetail } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/scenarios/{id}",
  operationId: "getScenario",
  tags: ["Scenarios"],
  summary:
    "The scenario, its steps and variants with sent/opened/clicked and rates, sequences by status, enrollment progress",
  security,
  request: { params: idParam, query: DetailQuery },
  responses: { 200: jsonResponse(ScenarioDetail, "The scenario"), 400: errors[400], 404: errors[404] },
});

export const registerGetScenario = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await scenarioDetail(c.get("tenant"), c.req.valid("param").id, c.req.valid("query").version), 200),
  );
