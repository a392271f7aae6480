import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { LEDGER_STATUSES } from "../../db/schema";
import { paginationQuery } from "../../lib/pagination";
import { listOperations } from "../../services/ledger/list";
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

const route = createRoute({
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

export const registerListOperations = (app: App) =>
  app.openapi(route, async (c) => c.json(await listOperations(c.get("tenant"), c.req.valid("query")), 200));
