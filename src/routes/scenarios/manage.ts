import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { deleteScenario, duplicateScenario, updateScenario } from "../../services/scenarios/manage";
import { scenarioDetail } from "../../services/scenarios/stats";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { ScenarioDetail, ScenarioPatch } from "./schema";

const tags = ["Scenarios"];

const patch = createRoute({
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

const remove = createRoute({
  method: "delete",
  path: "/api/v1/scenarios/{id}",
  operationId: "deleteScenario",
  tags,
  summary: "Delete a draft or stopped scenario (its messages stay as history)",
  security,
  request: { params: idParam },
  responses: { 204: { description: "Deleted" }, 401: errors[401], 404: errors[404], 409: errors[409] },
});

const duplicate = createRoute({
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

export function registerScenarioManagement(app: App) {
  app.openapi(patch, async (c) => {
    const tenant = c.get("tenant");
    const row = await updateScenario(tenant, c.req.valid("param").id, c.req.valid("json"));
    return c.json(await scenarioDetail(tenant, row.id), 200);
  });
  app.openapi(remove, async (c) => {
    await deleteScenario(c.get("tenant"), c.req.valid("param").id);
    return c.body(null, 204);
  });
  app.openapi(duplicate, async (c) => {
    const tenant = c.get("tenant");
    const row = await duplicateScenario(tenant, c.req.valid("param").id);
    return c.json(await scenarioDetail(tenant, row.id), 201);
  });
}
