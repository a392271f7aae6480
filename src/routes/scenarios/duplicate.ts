import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { duplicateScenario } from "../../services/scenarios/duplicate";
import { scenarioDetail } from "../../services/scenarios/stats";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { ScenarioDetail } from "./schema";

const tags = ["Scenarios"];

const route = createRoute({
  method: "post",
  path: "/api/v1/scenarios/{id}/duplicate",
  operationId: "duplicateScenario",
  tags,
  summary: "A draft copy of the scenario with its current steps",
  security,
  request: { params: idParam },
  responses: {
    201: jsonResponse(ScenarioDetail, "The copy, status draft"),
    401: errors[401],
    404: errors[404],
  },
});

export const registerDuplicateScenario = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const row = await duplicateScenario(tenant, c.req.valid("param").id);
    return c.json(await scenarioDetail(tenant, row.id), 201);
  });
