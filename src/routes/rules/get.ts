import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getRule, ruleView } from "../../services/rules/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Rule } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/rules/{id}",
  operationId: "getRule",
  tags: ["Rules"],
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Rule, "The rule"), 404: errors[404] },
});

export const registerGetRule = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(ruleView(await getRule(c.get("tenant"), c.req.valid("param").id)), 200),
  );
