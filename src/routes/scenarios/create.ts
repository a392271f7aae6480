import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { createScenario } from "../../services/scenarios/store";
import { assertSegment } from "../../services/scenarios/manage";
import { scenarioDetail } from "../../services/scenarios/stats";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { ScenarioCreate, ScenarioDetail } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/scenarios",
  operationId: "createScenario",
  tags: ["Scenarios"],
  summary: "Create a scenario (draft) with its sending constraints, filters and behaviour flags",
  security,
  request: { body: jsonBody(ScenarioCreate) },
  responses: {
    201: jsonResponse(ScenarioDetail, "The created scenario, status draft"),
    401: errors[401],
    404: errors[404],
    422: errors[422],
  },
});

export const registerCreateScenario = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const input = c.req.valid("json");
    await assertSegment(tenant, input.segment_id);
    const row = await createScenario(tenant, input);
    return c.json(await scenarioDetail(tenant, row.id), 201);
  });
