import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { markAllNotificationsRead, notificationUser } from "../../services/notifications/store";
import { errors, jsonResponse, security } from "../openapi";
import { userIdQuery } from "./schema";

const route = createRoute({
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

export const registerMarkAllNotificationsRead = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const userId = await notificationUser(tenant, c.get("userId"), c.req.valid("query").user_id);
    return c.json({ marked: await markAllNotificationsRead(tenant, userId) }, 200);
  });
