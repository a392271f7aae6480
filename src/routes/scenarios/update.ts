import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { updateScenario } from "../../services/scenarios/manage";
import { scenarioDetail } from "../../services/scenarios/stats";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { ScenarioDetail, ScenarioPatch } from "./schema";

const tags = ["Scenarios"];

const route = createRoute({
  method: "patch",
  path: "/api/v1/scenarios/{id}",
  operationId: "updateScenario",
  tags,
  summary: "Change any creation field (who enters and how mail leaves are frozen while active: 409)",
  security,
  request: { params: idParam, body: jsonBody(ScenarioPatch) },
  responses: {
    200: jsonResponse(ScenarioDetail, "The scenario"),
    401: errors[401],
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerUpdateScenario = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const row = await updateScenario(tenant, c.req.valid("param").id, c.req.valid("json"));
    return c.json(await scenarioDetail(tenant, row.id), 200);
  });
