import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { flowZodDetails } from "../../contracts/flow";
import { ApiError } from "../../lib/errors";
import { startSweep } from "../../services/scenarios/enrollment";
import { saveFlow } from "../../services/scenarios/flow/store";
import { flowView } from "../../services/scenarios/flow/view";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { FlowPut, FlowView } from "./flow-schema";

const route = createRoute({
  method: "put",
  path: "/api/v1/scenarios/{id}/flow",
  operationId: "putScenarioFlow",
  tags: ["Journeys"],
  summary: "Write the journey as a graph (a new version)",
  description:
    "An invalid flow answers 422 with `details[].field` naming the path (`nodes[3].next`): an unknown type or node id, " +
    "a dangling or missing branch, an unreachable node, a loop with no wait or wait_for, split percents not summing " +
    "to 100, more than 200 nodes; a template that is not the organization's answers 422 TEMPLATE_NOT_FOUND. On an " +
    "active or paused journey, runs at node ids that still exist go on in the new version; runs at a removed node end " +
    "with reason node_removed.",
  security,
  request: { params: idParam, body: jsonBody(FlowPut) },
  responses: {
    200: jsonResponse(FlowView, "The journey as saved, with its stats"),
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerPutFlow = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const tenant = c.get("tenant");
      const { id } = c.req.valid("param");
      const saved = await saveFlow(tenant, id, c.req.valid("json"));
      const view = await flowView(tenant, id);
      // Running journeys move on to the new version (engine: SequenceDO.reflow).
      if (view.status === "active" || view.status === "paused")
        await startSweep(c.env, tenant, id, "reflow", saved.version);
      return c.json(view, 200);
    },
    (result) => {
      if (result.success) return undefined as never;
      const details = flowZodDetails(result.error);
      throw new ApiError(
        result.target === "json" ? "VALIDATION_ERROR" : "INVALID_QUERY",
        details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join("; "),
        details,
      );
    },
  );
