import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import {
  markAllNotificationsRead,
  markNotificationRead,
  notificationUser,
} from "../../services/inbox/notifications";
import { notificationView } from "../../services/inbox/view";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Notification, userIdQuery } from "./schema";

const readOne = createRoute({
  method: "post",
  path: "/api/v1/notifications/{id}/read",
  operationId: "markNotificationRead",
  tags: ["Inbox"],
  summary: "Mark a notification read",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Notification, "The notification"), 404: errors[404] },
});

const readAll = createRoute({
  method: "post",
  path: "/api/v1/notifications/read-all",
  operationId: "markAllNotificationsRead",
  tags: ["Inbox"],
  summary: "Mark every unread notification of the key's team member read",
  security,
  request: { query: z.object(userIdQuery) },
  responses: {
    200: jsonResponse(z.object({ marked: z.number().int() }), "How many were unread"),
    400: errors[400],
    404: errors[404],
  },
});

export function registerReadNotifications(app: App) {
  app.openapi(readAll, async (c) => {
    const tenant = c.get("tenant");
    const userId = await notificationUser(tenant, c.get("userId"), c.req.valid("query").user_id);
    return c.json({ marked: await markAllNotificationsRead(tenant, userId) }, 200);
  });
  app.openapi(readOne, async (c) => {
    // A key bound to a team member reads only that member's notifications; an unbound key, any in its organization.
    const row = await markNotificationRead(c.get("tenant"), c.get("userId"), c.req.valid("param").id);
    return c.json(notificationView(row), 200);
  });
}
