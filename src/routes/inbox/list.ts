import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { queryInbox } from "../../services/inbox/query";
import { errors, jsonResponse, security } from "../openapi";
import { InboxPage, InboxQuery, inboxFilters } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/inbox",
  operationId: "getInbox",
  tags: ["Inbox"],
  summary: "The team inbox: next_action_at ascending (nulls last), then newest first",
  security,
  request: { query: InboxQuery },
  responses: {
    200: jsonResponse(InboxPage, "A page of the inbox and the total"),
    400: errors[400],
    404: errors[404],
  },
});

export const registerGetInbox = (app: App) =>
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const page = await queryInbox(
      c.get("tenant"),
      { userId: c.get("userId") },
      { ...inboxFilters(q), limit: q.limit, cursor: q.cursor },
    );
    return c.json(page, 200);
  });
