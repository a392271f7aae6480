import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getProduct, productView, upsertProducts } from "../../services/products/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Product, ProductInput } from "./schema";

const tags = ["Products"];

const route = createRoute({
  method: "post",
  path: "/api/v1/products",
  operationId: "upsertProduct",
  tags,
  summary: "Create or update a product (by id)",
  security,
  request: { body: jsonBody(ProductInput) },
  responses: { 200: jsonResponse(Product, "The product"), 401: errors[401], 422: errors[422] },
});

export const registerUpsertProduct = (app: App) =>
  app.openapi(route, async (c) => {
    const input = c.req.valid("json");
    await upsertProducts(c.get("tenant"), [input]);
    return c.json(productView(await getProduct(c.get("tenant"), input.id)), 200);
  });
