import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { paginationQuery } from "../../lib/pagination";
import { listProducts, productView } from "../../services/products/store";
import { errors, jsonResponse, listOf, security } from "../openapi";
import { Product } from "./schema";

const tags = ["Products"];

const route = createRoute({
  method: "get",
  path: "/api/v1/products",
  operationId: "listProducts",
  tags,
  summary: "The catalogue, by id",
  security,
  request: { query: z.object({ ...paginationQuery, category: z.string().max(200).optional() }) },
  responses: { 200: jsonResponse(listOf(Product), "A page of products"), 400: errors[400], 401: errors[401] },
});

export const registerListProducts = (app: App) =>
  app.openapi(route, async (c) => {
    const { items, next_cursor } = await listProducts(c.get("tenant"), c.req.valid("query"));
    return c.json({ items: items.map(productView), next_cursor }, 200);
  });
