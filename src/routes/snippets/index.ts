/** Snippets: reusable HTML with Liquid, rendered in templates by `{% render 'name' %}`. */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import {
  createSnippet,
  deleteSnippet,
  getSnippet,
  listSnippets,
  snippetView,
  updateSnippet,
} from "../../services/templates/snippets";
import { deletedResponse, errors, idParam, jsonBody, jsonResponse, listOf, security } from "../openapi";

const fields = {
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "lower-case letters, digits, - and _ (at most 64)")
    .openapi({ example: "shop-footer" }),
  html: z.string().min(1).max(100_000),
};
const SnippetCreate = z.object(fields).strict().openapi("SnippetCreate");
const SnippetPatch = z.object(fields).partial().strict().openapi("SnippetPatch");
const Snippet = z
  .object({
    id: z.string(),
    name: z.string(),
    html: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Snippet");

const tags = ["Snippets"];
const create = createRoute({
  method: "post",
  path: "/api/v1/snippets",
  operationId: "createSnippet",
  tags,
  summary: "A snippet: templates render it with {% render 'name' %} (names unique per organization)",
  security,
  request: { body: jsonBody(SnippetCreate) },
  responses: { 201: jsonResponse(Snippet, "Created"), 409: errors[409], 422: errors[422] },
});
const list = createRoute({
  method: "get",
  path: "/api/v1/snippets",
  operationId: "listSnippets",
  tags,
  security,
  request: { query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(Snippet), "A page of snippets"), 400: errors[400] },
});
const get = createRoute({
  method: "get",
  path: "/api/v1/snippets/{id}",
  operationId: "getSnippet",
  tags,
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Snippet, "The snippet"), 404: errors[404] },
});
const patch = createRoute({
  method: "patch",
  path: "/api/v1/snippets/{id}",
  operationId: "updateSnippet",
  tags,
  summary: "Change a snippet: every template rendering it sends the new version",
  security,
  request: { params: idParam, body: jsonBody(SnippetPatch) },
  responses: { 200: jsonResponse(Snippet, "Updated"), 404: errors[404], 409: errors[409], 422: errors[422] },
});
const remove = createRoute({
  method: "delete",
  path: "/api/v1/snippets/{id}",
  operationId: "deleteSnippet",
  tags,
  summary: "Delete a snippet: templates still rendering it fail their check (PERSONALIZATION_ERROR)",
  security,
  request: { params: idParam },
  responses: { 200: deletedResponse, 404: errors[404] },
});

export function registerSnippetRoutes(app: App) {
  app.openapi(create, async (c) =>
    c.json(snippetView(await createSnippet(c.get("tenant"), c.req.valid("json"))), 201),
  );
  app.openapi(list, async (c) => {
    const { items, next_cursor } = await listSnippets(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(snippetView), next_cursor }, 200);
  });
  app.openapi(get, async (c) =>
    c.json(snippetView(await getSnippet(c.get("tenant"), c.req.valid("param").id)), 200),
  );
  app.openapi(patch, async (c) =>
    c.json(
      snippetView(await updateSnippet(c.get("tenant"), c.req.valid("param").id, c.req.valid("json"))),
      200,
    ),
  );
  app.openapi(remove, async (c) => {
    const id = c.req.valid("param").id;
    await deleteSnippet(c.get("tenant"), id);
    return c.json({ id, deleted: true as const }, 200);
  });
}
