import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { now } from "../../lib/clock";
import { inboxCsv } from "../../services/inbox/csv";
import { inboxWhere } from "../../services/inbox/query";
import { csvResponse, errors, security } from "../openapi";
import { inboxFilterQuery, inboxFilters } from "./schema";

export const INBOX_CSV_PATH = "/api/v1/exports/inbox.csv";

const route = createRoute({
  method: "get",
  path: INBOX_CSV_PATH,
  operationId: "exportInboxCsv",
  tags: ["Inbox"],
  summary: "The inbox as CSV (same filters as GET /api/v1/inbox, every page)",
  security,
  request: { query: z.object(inboxFilterQuery) },
  responses: {
    200: csvResponse,
    400: errors[400],
    404: errors[404],
  },
});

export const registerExportInbox = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    // Resolve the filters before answering, so a bad filter is a 400/404, not a broken download.
    const where = await inboxWhere(tenant, { userId: c.get("userId") }, inboxFilters(c.req.valid("query")));
    const day = new Date(now()).toISOString().slice(0, 10);
    return c.body(inboxCsv(tenant, where), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="inbox-${day}.csv"`,
    });
  });
