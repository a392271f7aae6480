import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { createForm, formView } from "../../services/forms/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Form, fields } from "./schema";

const tags = ["Forms"];

const FormInput = z.object(fields).strict().openapi("FormInput");

const base = (env: Env) => configOf(env).PUBLIC_BASE_URL;

const route = createRoute({
  method: "post",
  path: "/api/v1/forms",
  operationId: "createForm",
  tags,
  summary: "Create a sign-up form: its public action URL and an HTML snippet to embed",
  security,
  request: { body: jsonBody(FormInput) },
  responses: {
    201: jsonResponse(Form, "The form"),
    401: errors[401],
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerCreateForm = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(formView(await createForm(c.get("tenant"), c.req.valid("json")), base(c.env)), 201),
  );
