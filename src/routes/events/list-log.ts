import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { now } from "../../lib/clock";
import { type Cell, csvStream } from "../../lib/csv";
import { paginationQuery } from "../../lib/pagination";
import { eventLogPage, eventLogView } from "../../services/events/log";
import { errors, listOf, security } from "../openapi";

const id = z.string().min(1).max(100);

const StoredEvent = z
  .object({
    id: z.string(),
    source: z.string(),
    type: z.string().openapi({ description: "The type as received (opened, page_visit, Delivery…)" }),
    applied_as: z.string().nullable(),
    contact_id: z.string().nullable(),
    message_id: z.string().nullable(),
    occurred_at: z.string(),
    received_at: z.string(),
    processed_at: z.string().nullable(),
    error: z.string().nullable(),
    raw: z.string(),
  })
  .openapi("StoredEvent");

const EventLogQuery = z.object({
  ...paginationQuery,
  type: z.string().min(1).max(100).optional(),
  contact_id: id.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  format: z.enum(["json", "csv"]).optional(),
});

const route = createRoute({
  method: "get",
  path: "/api/v1/event-log",
  operationId: "listEventLog",
  tags: ["Operations"],
  summary:
    "Inbound events as stored, newest first; filter by type, contact and occurred_at; format=csv exports",
  security,
  request: { query: EventLogQuery },
  responses: {
    200: {
      description: "A page of stored events (JSON), or every matching event as CSV",
      content: {
        "application/json": { schema: listOf(StoredEvent) },
        "text/csv": { schema: z.string() },
      },
    },
    400: errors[400],
    401: errors[401],
  },
});

const CSV_COLUMNS = [
  "id",
  "source",
  "type",
  "applied_as",
  "contact_id",
  "message_id",
  "occurred_at",
  "received_at",
  "processed_at",
  "error",
];

export const registerEventLog = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const q = c.req.valid("query");
    if (q.format !== "csv") {
      const { items, next_cursor } = await eventLogPage(tenant, q);
      return c.json({ items: items.map(eventLogView), next_cursor }, 200);
    }
    async function* lines(): AsyncGenerator<Cell[]> {
      let afterId: string | null = null;
      for (;;) {
        const { items } = await eventLogPage(tenant, { ...q, limit: 500, cursor: undefined, afterId });
        for (const r of items.map(eventLogView)) yield CSV_COLUMNS.map((k) => r[k as keyof typeof r] as Cell);
        const last = items.at(-1);
        if (!last || items.length < 500) return;
        afterId = last.id;
      }
    }
    const day = new Date(now()).toISOString().slice(0, 10);
    return c.body(csvStream(CSV_COLUMNS, lines), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="event-log-${day}.csv"`,
    });
  });
