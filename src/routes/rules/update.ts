import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { ruleView, updateRule } from "../../services/rules/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { Rule, RulePatch } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/rules/{id}",
  operationId: "updateRule",
  tags: ["Rules"],
  security,
  request: {
    params: idParam,
    body: jsonBody(RulePatch, "Fields to change; actions and conditions are replaced as a whole"),
  },
  responses: { 200: jsonResponse(Rule, "The updated rule"), 404: errors[404], 422: errors[422] },
});

export const registerUpdateRule = (app: App) =>
  app.openapi(route, async (c) => {
    const rule = await updateRule(c.get("tenant"), c.req.valid("param").id, c.req.valid("json"));
    return c.json(ruleView(rule), 200);
  });
