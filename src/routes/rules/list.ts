import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { listRules, ruleView } from "../../services/rules/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Rule, RuleListQuery } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/rules",
  operationId: "listRules",
  tags: ["Rules"],
  security,
  request: { query: RuleListQuery },
  responses: {
    200: jsonResponse(listOf(Rule), "A page of rules, in evaluation order (priority descending)"),
    400: errors[400],
  },
});

export const registerListRules = (app: App) =>
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const { items, next_cursor } = await listRules(c.get("tenant"), {
      ...q,
      enabled: q.enabled === undefined ? undefined : q.enabled === "true",
    });
    return c.json({ items: items.map(ruleView), next_cursor }, 200);
  });
