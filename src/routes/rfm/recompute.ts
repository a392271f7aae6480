import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { startRfmJob } from "../../services/rfm/job";
import { errors, jsonResponse, security } from "../openapi";

const Job = z.record(z.string(), z.unknown()).openapi("RfmJob");

const route = createRoute({
  method: "post",
  path: "/api/v1/rfm/recompute",
  operationId: "recomputeRfm",
  tags: ["RFM"],
  summary:
    "Recompute co-purchases, RFM and fit scores now (a queued job; GET /api/v1/rfm shows its progress)",
  security,
  responses: { 202: jsonResponse(Job, "The queued job"), 401: errors[401] },
});

export const registerRecomputeRfm = (app: App) =>
  app.openapi(route, async (c) =>
    c.json((await startRfmJob(c.env, c.get("tenant"))) as unknown as Record<string, unknown>, 202),
  );
