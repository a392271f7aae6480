import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { markNotificationRead } from "../../services/notifications/store";
import { notificationView } from "../../services/inbox/view";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Notification } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/notifications/{id}/read",
  operationId: "markNotificationRead",
  tags: ["Inbox"],
  summary: "Mark a notification read",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Notification, "The notification"), 404: errors[404] },
});

export const registerMarkNotificationRead = (app: App) =>
  app.openapi(route, async (c) => {
    // A key bound to a team member reads only that member's notifications; an unbound key, any in its organization.
    const row = await markNotificationRead(c.get("tenant"), c.get("userId"), c.req.valid("param").id);
    return c.json(notificationView(row), 200);
  });
