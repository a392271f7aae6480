import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { listNotifications, notificationUser } from "../../services/notifications/store";
import { notificationView } from "../../services/inbox/view";
import { errors, jsonResponse, security } from "../openapi";
import { Notification, userIdQuery } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/notifications",
  operationId: "listNotifications",
  tags: ["Inbox"],
  summary: "Reminders raised for the key's team member, newest first",
  security,
  request: {
    query: z.object({
      ...paginationQuery,
      ...userIdQuery,
      unread: z.enum(["true", "false"]).optional().openapi({ description: "true: only unread ones" }),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({
        items: z.array(Notification),
        next_cursor: z.string().nullable(),
        unread: z.number().int(),
      }),
      "A page of notifications and the unread count",
    ),
    400: errors[400],
    404: errors[404],
  },
});

export const registerListNotifications = (app: App) =>
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const tenant = c.get("tenant");
    const userId = await notificationUser(tenant, c.get("userId"), q.user_id);
    const res = await listNotifications(tenant, userId, {
      limit: q.limit,
      cursor: q.cursor,
      unread: q.unread === "true",
    });
    return c.json(
      { items: res.items.map(notificationView), next_cursor: res.next_cursor, unread: res.unread },
      200,
    );
  });
