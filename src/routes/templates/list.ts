import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { listTemplates, templateView } from "../../services/templates/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Template } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/templates",
  operationId: "listTemplates",
  tags: ["Templates"],
  security,
  request: { query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(Template), "A page of templates"), 400: errors[400] },
});

export const registerListTemplates = (app: App) =>
  app.openapi(route, async (c) => {
    const { items, next_cursor } = await listTemplates(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(templateView), next_cursor }, 200);
  });
