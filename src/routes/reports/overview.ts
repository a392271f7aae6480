import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { overviewReport } from "../../services/reports/overview";
import { errors, jsonResponse, security } from "../openapi";
import { Overview, PeriodQuery, tags } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/reports/overview",
  operationId: "getReportOverview",
  tags,
  summary:
    "What was sent, opened, clicked and earned, by day or week in the organization's timezone, with totals",
  description:
    "A day's messages are those queued that day; its opens and clicks are theirs, counted once per message. Days more " +
    "than 8 days old are read from stored daily counters (final), the others counted live.",
  security,
  request: { query: z.object({ ...PeriodQuery, bucket: z.enum(["day", "week"]).default("day") }) },
  responses: { 200: jsonResponse(Overview, "The series and the totals"), 400: errors[400], 422: errors[422] },
});

export const registerReportOverview = (app: App) =>
  app.openapi(route, async (c) => c.json(await overviewReport(c.get("tenant"), c.req.valid("query")), 200));
