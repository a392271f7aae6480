import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { scenarioDetail } from "../../services/scenarios/stats";
import { saveSteps } from "../../services/scenarios/steps";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { ScenarioDetail, StepsPut } from "./schema";

const route = createRoute({
  method: "put",
  path: "/api/v1/scenarios/{id}/steps",
  operationId: "putScenarioSteps",
  tags: ["Scenarios"],
  summary: "Replace the steps (a new version; running sequences keep the version they started with)",
  description:
    "`entry` steps have no parent; every other trigger names its parent step. `not_opened` fires when the parent's email " +
    "is not opened within the delay. Inconsistent steps (a cycle, a missing parent, an entry step with a parent, a " +
    "weight that is not positive, an unknown template) answer 422 STEPS_INVALID with the reasons.",
  security,
  request: { params: idParam, body: jsonBody(StepsPut) },
  responses: {
    200: jsonResponse(ScenarioDetail, "The scenario with its new steps"),
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerPutSteps = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const { id } = c.req.valid("param");
    await saveSteps(tenant, id, c.req.valid("json").steps);
    return c.json(await scenarioDetail(tenant, id), 200);
  });
