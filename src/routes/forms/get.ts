import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { formView, getForm } from "../../services/forms/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Form } from "./schema";

const tags = ["Forms"];

const base = (env: Env) => configOf(env).PUBLIC_BASE_URL;

const route = createRoute({
  method: "get",
  path: "/api/v1/forms/{id}",
  operationId: "getForm",
  tags,
  summary: "One sign-up form",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Form, "The form"), 401: errors[401], 404: errors[404] },
});

export const registerGetForm = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(formView(await getForm(c.get("tenant"), c.req.valid("param").id), base(c.env)), 200),
  );
