/** Landing pages: the API (CRUD) and the public page at /lp/<organization>/<slug>. */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { paginationQuery } from "../../lib/pagination";
import {
  createLanding,
  deleteLanding,
  getLanding,
  landingView,
  listLandings,
  updateLanding,
} from "../../services/landing/store";
import { LandingDesign, slugField } from "../../services/landing/schema";
import { deletedResponse, errors, idParam, jsonBody, jsonResponse, listOf, security } from "../openapi";
import { registerLandingPage } from "./public";

const fields = {
  name: z.string().min(1).max(200),
  slug: slugField,
  title: z.string().max(200).nullable().optional(),
  design: LandingDesign,
  published: z.boolean().optional(),
};
const LandingCreate = z.object(fields).strict().openapi("LandingPageCreate");
const LandingPatch = z.object(fields).partial().strict().openapi("LandingPagePatch");
const LandingPage = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    title: z.string().nullable(),
    url: z.string().openapi({ description: "Absolute, on PUBLIC_BASE_URL; 404 while unpublished" }),
    design: LandingDesign,
    published: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("LandingPage");

const tags = ["Landing pages"];
const base = (env: Env) => configOf(env).PUBLIC_BASE_URL;
const path = "/api/v1/landing-pages";
const create = createRoute({
  method: "post",
  path,
  operationId: "createLandingPage",
  tags,
  summary: "A hosted page of blocks with sign-up forms (published unless published: false)",
  security,
  request: { body: jsonBody(LandingCreate) },
  responses: { 201: jsonResponse(LandingPage, "Created"), 409: errors[409], 422: errors[422] },
});
const list = createRoute({
  method: "get",
  path,
  operationId: "listLandingPages",
  tags,
  security,
  request: { query: z.object(paginationQuery) },
  responses: { 200: jsonResponse(listOf(LandingPage), "A page of landing pages"), 400: errors[400] },
});
const get = createRoute({
  method: "get",
  path: `${path}/{id}`,
  operationId: "getLandingPage",
  tags,
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(LandingPage, "The page"), 404: errors[404] },
});
const patch = createRoute({
  method: "patch",
  path: `${path}/{id}`,
  operationId: "updateLandingPage",
  tags,
  summary: "Change a page; published: false takes it offline (its URL answers 404)",
  security,
  request: { params: idParam, body: jsonBody(LandingPatch) },
  responses: {
    200: jsonResponse(LandingPage, "Updated"),
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});
const remove = createRoute({
  method: "delete",
  path: `${path}/{id}`,
  operationId: "deleteLandingPage",
  tags,
  security,
  request: { params: idParam },
  responses: { 200: deletedResponse, 404: errors[404] },
});

export function registerLandingRoutes(app: App) {
  app.openapi(create, async (c) =>
    c.json(landingView(await createLanding(c.get("tenant"), c.req.valid("json")), base(c.env)), 201),
  );
  app.openapi(list, async (c) => {
    const { items, next_cursor } = await listLandings(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map((r) => landingView(r, base(c.env))), next_cursor }, 200);
  });
  app.openapi(get, async (c) =>
    c.json(landingView(await getLanding(c.get("tenant"), c.req.valid("param").id), base(c.env)), 200),
  );
  app.openapi(patch, async (c) =>
    c.json(
      landingView(
        await updateLanding(c.get("tenant"), c.req.valid("param").id, c.req.valid("json")),
        base(c.env),
      ),
      200,
    ),
  );
  app.openapi(remove, async (c) => {
    const id = c.req.valid("param").id;
    await deleteLanding(c.get("tenant"), id);
    return c.json({ id, deleted: true as const }, 200);
  });
  registerLandingPage(app);
}
