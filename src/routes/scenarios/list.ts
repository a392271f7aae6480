import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { listScenarios, scenarioView } from "../../services/scenarios/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Scenario } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/scenarios",
  operationId: "listScenarios",
  tags: ["Scenarios"],
  security,
  request: { query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(Scenario), "A page of scenarios, oldest first"), 400: errors[400] },
});

export const registerListScenarios = (app: App) =>
  app.openapi(route, async (c) => {
    const { items, next_cursor } = await listScenarios(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(scenarioView), next_cursor }, 200);
  });
