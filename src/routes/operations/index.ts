import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { LEDGER_STATUSES } from "../../db/schema";
import { now } from "../../lib/clock";
import { type Cell, csvStream } from "../../lib/csv";
import { paginationQuery } from "../../lib/pagination";
import { eventLogPage, eventLogView, listOperations } from "../../services/operations";
import { errors, jsonResponse, listOf, security } from "../openapi";

const id = z.string().min(1).max(100);

const Operation = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: z.enum(LEDGER_STATUSES),
    reason: z
      .string()
      .nullable()
      .openapi({ description: "Why it was skipped or failed (or the last retryable error)" }),
    attempts: z.number().int(),
    contact_id: z.string().nullable(),
    scenario_id: z.string().nullable(),
    step_order: z.number().int().nullable(),
    campaign_id: z.string().nullable(),
    variant_name: z.string().nullable(),
    message_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Operation");

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

const operations = createRoute({
  method: "get",
  path: "/api/v1/operations",
  operationId: "listOperations",
  tags: ["Operations"],
  summary: "Send operations (ledger rows) with their status and reason, newest first",
  security,
  request: {
    query: z.object({
      ...paginationQuery,
      status: z.enum(LEDGER_STATUSES).optional(),
      scenario_id: id.optional(),
      campaign_id: id.optional(),
      contact_id: id.optional(),
    }),
  },
  responses: {
    200: jsonResponse(listOf(Operation), "A page of operations"),
    400: errors[400],
    401: errors[401],
  },
});

const EventLogQuery = z.object({
  ...paginationQuery,
  type: z.string().min(1).max(100).optional(),
  contact_id: id.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  format: z.enum(["json", "csv"]).optional(),
});

const eventLog = createRoute({
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

export function registerOperationRoutes(app: App) {
  app.openapi(operations, async (c) =>
    c.json(await listOperations(c.get("tenant"), c.req.valid("query")), 200),
  );
  app.openapi(eventLog, async (c) => {
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
}
