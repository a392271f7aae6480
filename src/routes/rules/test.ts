import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { dryRun } from "../../services/rules/dry-run";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { DryRunBody, DryRunResult } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/rules/test",
  operationId: "testRules",
  tags: ["Rules"],
  security,
  request: { body: jsonBody(DryRunBody) },
  responses: {
    200: jsonResponse(
      DryRunResult,
      "Which rules would match the event and what they would do; nothing is executed",
    ),
    404: errors[404],
    422: errors[422],
  },
});

export const registerTestRules = (app: App) =>
  app.openapi(route, async (c) => c.json(await dryRun(c.get("tenant"), c.req.valid("json").event), 200));
