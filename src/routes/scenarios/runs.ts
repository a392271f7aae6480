import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { listRuns } from "../../services/scenarios/flow/run-list";
import { errors, idParam, jsonResponse, listOf, security } from "../openapi";
import { Run, RunListQuery } from "./flow-schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/scenarios/{id}/runs",
  operationId: "listScenarioRuns",
  tags: ["Journeys"],
  summary: "The journey's runs: current and earlier ones (re-entry), by contact",
  security,
  request: { params: idParam, query: RunListQuery },
  responses: {
    200: jsonResponse(listOf(Run), "A page of runs"),
    400: errors[400],
    404: errors[404],
  },
});

export const registerListRuns = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await listRuns(c.get("tenant"), c.req.valid("param").id, c.req.valid("query")), 200),
  );
