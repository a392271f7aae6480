import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { count, meteringOn, readLabelled, readStatements, readUsage } from "../../lib/metering";
import { adminAuth } from "../../middleware/auth";
import { errors, jsonResponse } from "../openapi";
import { Usage, description } from "./schema";

const notMetering = () => new ApiError("NOT_FOUND", "metering is off (set the METERING var to on)");

const route = createRoute({
  method: "get",
  path: "/api/v1/admin/metrics",
  operationId: "getUsageMetrics",
  tags: ["Admin"],
  summary: "Billable units used since the last reset (benchmarks; operator token)",
  description,
  security: [{ adminToken: [] }],
  middleware: [adminAuth] as const,
  request: { query: z.object({ statements: z.enum(["0", "1"]).optional() }) },
  responses: { 200: jsonResponse(Usage, "The usage counters"), 401: errors[401], 404: errors[404] },
});

export const registerGetUsageMetrics = (app: App) =>
  app.openapi(route, async (c) => {
    if (!meteringOn(c.env)) throw notMetering();
    // The bench's own reads are not the platform's usage.
    count("workerRequests", -1);
    const withStatements = c.req.valid("query").statements === "1";
    return c.json(
      {
        ...readUsage(),
        labels: readLabelled(),
        ...(withStatements ? { statements: readStatements(200) } : {}),
      },
      200,
    );
  });
