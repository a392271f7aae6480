import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { paginationQuery } from "../../lib/pagination";
import { headerSafe } from "../../lib/validation";
import { createForm, deleteForm, formView, getForm, listForms, updateForm } from "../../services/forms/store";
import "../../services/forms/templates";
import { errors, idParam, jsonBody, jsonResponse, listOf, security } from "../openapi";

const tags = ["Forms"];
const fieldName = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "letters, digits and _ (a contact field or an attribute)");
const Field = z.union([
  fieldName,
  z
    .object({
      name: fieldName,
      type: z.enum(["email", "text", "tel", "textarea"]).optional(),
      required: z.boolean().optional(),
    })
    .strict(),
]);
const fields = {
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\u0000-\u001f\u007f]*$/, "no control characters"),
  fields: z.array(Field).min(1).max(30),
  tags: z.array(headerSafe(100).min(1)).max(20).optional(),
  segment_id: z.string().min(1).max(100).nullable().optional(),
  redirect_url: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .nullable()
    .optional()
    .openapi({ description: "Where a browser goes after posting (https)" }),
  double_opt_in: z
    .boolean()
    .nullable()
    .optional()
    .openapi({ description: "Null: the organization's consent setting" }),
  confirmation_template_id: z.string().min(1).max(100).nullable().optional(),
  language: z.enum(["en", "fr"]).optional(),
};
const FormInput = z.object(fields).strict().openapi("FormInput");
const FormPatch = z.object(fields).partial().strict().openapi("FormPatch");
const Form = z
  .object({
    id: z.string(),
    name: z.string(),
    token: z.string(),
    action_url: z.string(),
    snippet: z.string().openapi({ description: "An HTML form to paste into a website" }),
  })
  .passthrough()
  .openapi("Form");

const routes = {
  create: createRoute({
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
  }),
  list: createRoute({
    method: "get",
    path: "/api/v1/forms",
    operationId: "listForms",
    tags,
    summary: "The organization's sign-up forms",
    security,
    request: { query: z.object(paginationQuery) },
    responses: { 200: jsonResponse(listOf(Form), "A page of forms"), 400: errors[400], 401: errors[401] },
  }),
  get: createRoute({
    method: "get",
    path: "/api/v1/forms/{id}",
    operationId: "getForm",
    tags,
    summary: "One sign-up form",
    security,
    request: { params: idParam },
    responses: { 200: jsonResponse(Form, "The form"), 401: errors[401], 404: errors[404] },
  }),
  patch: createRoute({
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
  }),
  remove: createRoute({
    method: "delete",
    path: "/api/v1/forms/{id}",
    operationId: "deleteForm",
    tags,
    summary: "Delete a sign-up form (its action URL stops working)",
    security,
    request: { params: idParam },
    responses: { 204: { description: "Deleted" }, 401: errors[401], 404: errors[404] },
  }),
};

export function registerFormRoutes(app: App) {
  const base = (env: Env) => configOf(env).PUBLIC_BASE_URL;
  app.openapi(routes.create, async (c) =>
    c.json(formView(await createForm(c.get("tenant"), c.req.valid("json")), base(c.env)), 201),
  );
  app.openapi(routes.list, async (c) => {
    const { items, next_cursor } = await listForms(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map((f) => formView(f, base(c.env))), next_cursor }, 200);
  });
  app.openapi(routes.get, async (c) =>
    c.json(formView(await getForm(c.get("tenant"), c.req.valid("param").id), base(c.env)), 200),
  );
  app.openapi(routes.patch, async (c) =>
    c.json(
      formView(await updateForm(c.get("tenant"), c.req.valid("param").id, c.req.valid("json")), base(c.env)),
      200,
    ),
  );
  app.openapi(routes.remove, async (c) => {
    await deleteForm(c.get("tenant"), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
