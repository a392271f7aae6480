import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { flowView } from "../../services/scenarios/flow/view";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { FlowView } from "./flow-schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/scenarios/{id}/flow",
  operationId: "getScenarioFlow",
  tags: ["Journeys"],
  summary: "The journey as a graph, with its version and per-node stats",
  description:
    "A journey written with PUT /steps reads as its graph (source `steps`). `stats.nodes` counts per node the runs " +
    "that entered it, wait there now and left it, with yes/no (wait_for, condition), by_path (split) and " +
    "sent/opened/clicked (email, over every version).",
  security,
  request: { params: idParam },
  responses: {
    200: jsonResponse(FlowView, "The journey"),
    404: errors[404],
  },
});

export const registerGetFlow = (app: App) =>
  app.openapi(route, async (c) => c.json(await flowView(c.get("tenant"), c.req.valid("param").id), 200));
