import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { listRuns, runView } from "../../services/rules/runs";
import { getRule } from "../../services/rules/store";
import { errors, idParam, jsonResponse, listOf, security } from "../openapi";
import { RuleRun, RunListQuery } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/rules/{id}/runs",
  operationId: "listRuleRuns",
  tags: ["Rules"],
  security,
  request: { params: idParam, query: RunListQuery },
  responses: {
    200: jsonResponse(
      listOf(RuleRun),
      "The rule's runs, newest first: the event and each action executed, scheduled, skipped or failed, and why",
    ),
    400: errors[400],
    404: errors[404],
  },
});

export const registerListRuleRuns = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const rule = await getRule(tenant, c.req.valid("param").id);
    const { items, next_cursor } = await listRuns(tenant, rule.id, c.req.valid("query"));
    return c.json({ items: items.map(runView), next_cursor }, 200);
  });
