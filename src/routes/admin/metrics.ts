import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { count, meteringOn, readStatements, readUsage, resetUsage } from "../../lib/metering";
import { adminAuth } from "../../middleware/auth";
import { errors, jsonResponse } from "../openapi";

const Usage = z
  .object({
    workerRequests: z.number(),
    d1Queries: z.number(),
    d1RowsRead: z.number(),
    d1RowsWritten: z.number(),
    doRequests: z.number(),
    doAlarms: z.number(),
    doRowsRead: z.number(),
    doRowsWritten: z.number(),
    queueWrites: z.number(),
    queueReads: z.number(),
    queueDeletes: z.number(),
    queueRetries: z.number(),
    statements: z
      .array(
        z.object({ sql: z.string(), queries: z.number(), rowsRead: z.number(), rowsWritten: z.number() }),
      )
      .optional()
      .openapi({
        description: "With ?statements=1: D1 usage per SQL statement, most rows written first (top 200)",
      }),
  })
  .openapi("UsageMetrics");

const description =
  "Only when the Worker runs with the `METERING` var set to `on` (the benchmarks); otherwise 404. " +
  "Counts are kept in the isolate's memory since the last reset; this request is not counted.";

const getRoute = createRoute({
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

const resetRoute = createRoute({
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

const notMetering = () => new ApiError("NOT_FOUND", "metering is off (set the METERING var to on)");

export function registerMetricsRoutes(app: App) {
  app.openapi(getRoute, async (c) => {
    if (!meteringOn(c.env)) throw notMetering();
    // The bench's own reads are not the platform's usage.
    count("workerRequests", -1);
    const withStatements = c.req.valid("query").statements === "1";
    return c.json({ ...readUsage(), ...(withStatements ? { statements: readStatements(200) } : {}) }, 200);
  });
  app.openapi(resetRoute, async (c) => {
    if (!meteringOn(c.env)) throw notMetering();
    resetUsage();
    return c.json(readUsage(), 200);
  });
}
