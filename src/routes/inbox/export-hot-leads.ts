import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { now } from "../../lib/clock";
import { hotLeadsCsv } from "../../services/inbox/csv";
import { csvResponse, errors, security } from "../openapi";

export const HOT_LEADS_CSV_PATH = "/api/v1/exports/hot-leads.csv";

const route = createRoute({
  method: "get",
  path: HOT_LEADS_CSV_PATH,
  operationId: "exportHotLeadsCsv",
  tags: ["Inbox"],
  summary: "Hot leads as CSV: contacts whose score is at least the threshold, highest score first",
  security,
  request: {
    query: z.object({ threshold: z.coerce.number().int().min(0).max(1_000_000).default(15) }),
  },
  responses: {
    200: csvResponse,
    400: errors[400],
  },
});

export const registerExportHotLeads = (app: App) =>
  app.openapi(route, async (c) => {
    const day = new Date(now()).toISOString().slice(0, 10);
    return c.body(hotLeadsCsv(c.get("tenant"), c.req.valid("query").threshold), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="hot-leads-${day}.csv"`,
    });
  });
