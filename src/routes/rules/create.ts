import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { createRule, ruleView } from "../../services/rules/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Rule, RuleCreate } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/rules",
  operationId: "createRule",
  tags: ["Rules"],
  security,
  request: { body: jsonBody(RuleCreate) },
  responses: { 201: jsonResponse(Rule, "The created rule"), 422: errors[422] },
});

export const registerCreateRule = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(ruleView(await createRule(c.get("tenant"), c.req.valid("json"))), 201),
  );
