import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { paginationQuery } from "../../lib/pagination";
import { formView, listForms } from "../../services/forms/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Form } from "./schema";

const tags = ["Forms"];

const base = (env: Env) => configOf(env).PUBLIC_BASE_URL;

const route = createRoute({
  method: "get",
  path: "/api/v1/forms",
  operationId: "listForms",
  tags,
  summary: "The organization's sign-up forms",
  security,
  request: { query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(Form), "A page of forms"), 400: errors[400], 401: errors[401] },
});

export const registerListForms = (app: App) =>
  app.openapi(route, async (c) => {
    const { items, next_cursor } = await listForms(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map((f) => formView(f, base(c.env))), next_cursor }, 200);
  });
