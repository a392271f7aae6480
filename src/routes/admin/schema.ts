import { z } from "@hono/zod-openapi";

export const Usage = z
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

export const description =
  "Only when the Worker runs with the `METERING` var set to `on` (the benchmarks); otherwise 404. " +
  "Counts are kept in the isolate's memory since the last reset; this request is not counted.";
