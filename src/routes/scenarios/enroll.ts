import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { enrollByApi } from "../../services/scenarios/flow/runs";
import { getScenario } from "../../services/scenarios/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { EnrollRequest, EnrollResult } from "./flow-schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/scenarios/{id}/enroll",
  operationId: "enrollInScenario",
  tags: ["Journeys"],
  summary: "Start a run for these contacts (by id or address)",
  description:
    "Each contact is checked as a send would be (status, consent, suppression, the scenario's filters), then by the " +
    "journey's re-entry policy. Every contact not started is listed in `skipped` with its reason. At most 1,000 per call.",
  security,
  request: { params: idParam, body: jsonBody(EnrollRequest) },
  responses: {
    202: jsonResponse(EnrollResult, "Who started and who did not, with why"),
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerEnroll = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const scenario = await getScenario(tenant, c.req.valid("param").id);
    return c.json(await enrollByApi(c.env, tenant, scenario, c.req.valid("json")), 202);
  });
