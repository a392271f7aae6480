import { z } from "@hono/zod-openapi";

const Counters = {
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
};

export const Usage = z
  .object({
    ...Counters,
    labels: z.record(z.string(), z.object(Counters)).optional().openapi({
      description:
        "The same counters for the work done under a label (a journey node by type: node:email, node:wait ...)",
    }),
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
