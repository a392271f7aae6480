import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { listDomains } from "../../services/domains/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Domain, DomainListQuery, tags } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/domains",
  operationId: "listDomains",
  tags,
  summary: "The organization's sending domains, by name",
  security,
  request: { query: DomainListQuery },
  responses: { 200: jsonResponse(listOf(Domain), "A page of domains"), 400: errors[400] },
});

export const registerListDomains = (app: App) =>
  app.openapi(route, async (c) => c.json(await listDomains(c.get("tenant"), c.req.valid("query")), 200));
