import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { simulateScenario } from "../../services/scenarios/simulate";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { SimulateRequest, SimulateResult } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/scenarios/{id}/simulate",
  operationId: "simulateScenario",
  tags: ["Scenarios"],
  summary: "The timeline a contact would follow, given events; sends nothing",
  description:
    "Runs the engine's own planning and transitions on a simulated clock. Each send says which step, which variant, " +
    "when, and every move of its time with the reason (window, cooldown, cap). Events without step_order apply to the " +
    "last step sent by then.",
  security,
  request: { params: idParam, body: jsonBody(SimulateRequest) },
  responses: {
    200: jsonResponse(SimulateResult, "The simulated timeline"),
    404: errors[404],
    422: errors[422],
  },
});

export const registerSimulateScenario = (app: App) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const result = await simulateScenario(c.get("tenant"), c.req.valid("param").id, {
      contact_id: body.contact_id,
      start_at: body.start_at ? Date.parse(body.start_at) : undefined,
      events: body.events.map((e) => ({
        type: e.type,
        at: Date.parse(e.at),
        step_order: e.step_order ?? null,
        machine: e.machine,
      })),
    });
    return c.json(result, 200);
  });
