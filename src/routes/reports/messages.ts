import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { messagesReport } from "../../services/reports/overview";
import { errors, security } from "../openapi";
import { reportCsv } from "../../services/reports/csv";
import { MessagesReport, PeriodQuery, tags } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/reports/messages",
  operationId: "getReportMessages",
  tags,
  summary:
    "One row per campaign, scenario or template over the period, with its counters and rates; format=csv exports",
  security,
  request: {
    query: z.object({
      ...PeriodQuery,
      group_by: z.enum(["campaign", "scenario", "template"]).default("campaign"),
      format: z.enum(["json", "csv"]).optional(),
    }),
  },
  responses: {
    200: {
      description:
        "The rows (JSON), or the same as CSV (cells a spreadsheet would run as a formula are neutralised)",
      content: { "application/json": { schema: MessagesReport }, "text/csv": { schema: z.string() } },
    },
    400: errors[400],
    422: errors[422],
  },
});

export const registerReportMessages = (app: App) =>
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const report = await messagesReport(c.get("tenant"), q);
    if (q.format !== "csv") return c.json(report, 200);
    return c.body(reportCsv(report.items), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="report-${q.group_by}-${report.from}-${report.to}.csv"`,
    });
  });
