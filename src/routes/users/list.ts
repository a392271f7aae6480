import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { listUsers, userView } from "../../services/users/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { User } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/users",
  operationId: "listUsers",
  tags: ["Team"],
  security,
  request: { query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(User), "Team members"), 400: errors[400] },
});

export const registerListUsers = (app: App) =>
  app.openapi(route, async (c) => {
    const { items, next_cursor } = await listUsers(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(userView), next_cursor }, 200);
  });
