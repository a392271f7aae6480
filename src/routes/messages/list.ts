import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { listMessages, messageView } from "../../services/messages/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Message, MessageListQuery } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/messages",
  operationId: "listMessages",
  tags: ["Messages"],
  summary: "Messages sent (or attempted), newest first; filter by contact, scenario, campaign or status",
  security,
  request: { query: MessageListQuery },
  responses: { 200: jsonResponse(listOf(Message), "A page of messages"), 400: errors[400] },
});

export const registerListMessages = (app: App) =>
  app.openapi(route, async (c) => {
    const { items, next_cursor } = await listMessages(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(messageView), next_cursor }, 200);
  });
