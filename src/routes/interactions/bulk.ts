import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { type BulkAction, bulkUpdateInteractions } from "../../services/interactions/bulk";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { resolveAssignee } from "./helpers";
import { BulkRequest, BulkResult } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/interactions/bulk",
  operationId: "bulkUpdateInteractions",
  tags: ["Inbox"],
  summary: "Mark several interactions done, set their status, or reassign them at once (up to 200 ids)",
  security,
  request: { body: jsonBody(BulkRequest) },
  responses: {
    200: jsonResponse(BulkResult, "Which ids changed and which are not in this organization"),
    422: errors[422],
  },
});

export const registerBulkInteractions = (app: App) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const action: BulkAction =
      body.action === "reassign"
        ? { action: "reassign", assignee_id: resolveAssignee(body.assignee_id, c.get("userId")) ?? null }
        : body;
    return c.json(await bulkUpdateInteractions(c.get("tenant"), body.ids, action), 200);
  });
