import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { listSuppressions } from "../../services/suppressions/manage";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Suppression, SuppressionQuery, tags } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/suppressions",
  operationId: "listSuppressions",
  tags,
  summary: "The addresses no mail goes to, newest first, with why and from where",
  description:
    "Every send (scenario, journey, campaign, rule, transactional) skips these addresses. An erased contact's address " +
    "is kept as its SHA-256 only.",
  security,
  request: { query: SuppressionQuery },
  responses: { 200: jsonResponse(listOf(Suppression), "A page of suppressions"), 400: errors[400] },
});

export const registerListSuppressions = (app: App) =>
  app.openapi(route, async (c) => c.json(await listSuppressions(c.get("tenant"), c.req.valid("query")), 200));
