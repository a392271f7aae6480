import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { formView, updateForm } from "../../services/forms/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { Form, fields } from "./schema";

const tags = ["Forms"];

const FormPatch = z.object(fields).partial().strict().openapi("FormPatch");

const base = (env: Env) => configOf(env).PUBLIC_BASE_URL;

const route = createRoute({
  method: "patch",
  path: "/api/v1/forms/{id}",
  operationId: "updateForm",
  tags,
  summary: "Change a sign-up form (its token and action URL stay)",
  security,
  request: { params: idParam, body: jsonBody(FormPatch) },
  responses: {
    200: jsonResponse(Form, "The form"),
    401: errors[401],
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerUpdateForm = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(
      formView(await updateForm(c.get("tenant"), c.req.valid("param").id, c.req.valid("json")), base(c.env)),
      200,
    ),
  );
