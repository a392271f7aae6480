import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { addSuppressions } from "../../services/suppressions/manage";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { AddResult, AddSuppressions, tags } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/suppressions",
  operationId: "addSuppressions",
  tags,
  summary: "Suppress addresses by hand (reason manual; at most 1,000 per call)",
  security,
  request: { body: jsonBody(AddSuppressions) },
  responses: { 200: jsonResponse(AddResult, "What was added"), 422: errors[422] },
});

export const registerAddSuppressions = (app: App) =>
  app.openapi(route, async (c) => {
    const { emails } = c.req.valid("json");
    return c.json(
      await addSuppressions(
        c.get("tenant"),
        emails.map((email) => ({ email })),
        "api",
      ),
      200,
    );
  });
