import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { now } from "../../lib/clock";
import { simulateScenario } from "../../services/scenarios/simulate";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { SimulateRequest, SimulateResult } from "./simulate-schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/scenarios/{id}/simulate",
  operationId: "simulateScenario",
  tags: ["Scenarios"],
  summary: "The timeline a contact would follow, given events; sends nothing",
  description:
    "Runs the engine's own planning and transitions on a simulated clock. A journey written with PUT /flow answers its " +
    "path: `timeline` [{node_id, type, at, outcome}]; events take `after_hours` from the start and `node` (the email " +
    "they are about). For steps, each send says which step, which variant, " +
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
    const start = body.start_at ? Date.parse(body.start_at) : now();
    const result = await simulateScenario(c.get("tenant"), c.req.valid("param").id, {
      contact_id: body.contact_id,
      start_at: start,
      events: body.events.map((e) => ({
        type: e.type,
        at: e.at !== undefined ? Date.parse(e.at) : start + (e.after_hours ?? 0) * 3_600_000,
        step_order: e.step_order ?? null,
        node: e.node ?? null,
        name: e.name ?? null,
        properties: e.properties,
        machine: e.machine,
      })),
    });
    return c.json(result, 200);
  });
