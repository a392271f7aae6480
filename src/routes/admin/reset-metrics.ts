import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { meteringOn, readUsage, resetUsage } from "../../lib/metering";
import { adminAuth } from "../../middleware/auth";
import { errors, jsonResponse } from "../openapi";
import { Usage, description } from "./schema";

const notMetering = () => new ApiError("NOT_FOUND", "metering is off (set the METERING var to on)");

const route = createRoute({
  method: "post",
  path: "/api/v1/admin/metrics/reset",
  operationId: "resetUsageMetrics",
  tags: ["Admin"],
  summary: "Set the usage counters to zero (benchmarks; operator token)",
  description,
  security: [{ adminToken: [] }],
  middleware: [adminAuth] as const,
  responses: { 200: jsonResponse(Usage, "The counters, all zero"), 401: errors[401], 404: errors[404] },
});

export const registerResetUsageMetrics = (app: App) =>
  app.openapi(route, async (c) => {
    if (!meteringOn(c.env)) throw notMetering();
    resetUsage();
    return c.json(readUsage(), 200);
  });
