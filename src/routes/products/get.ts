import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getProduct, productView, relatedProducts } from "../../services/products/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { Product } from "./schema";

const tags = ["Products"];

const route = createRoute({
  method: "get",
  path: "/api/v1/products/{id}",
  operationId: "getProduct",
  tags,
  summary: "One product, with the products most often bought with it",
  security,
  request: { params: idParam },
  responses: {
    200: jsonResponse(Product.extend({ related: z.array(Product.passthrough()) }), "The product"),
    401: errors[401],
    404: errors[404],
  },
});

export const registerGetProduct = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const p = await getProduct(tenant, c.req.valid("param").id);
    return c.json({ ...productView(p), related: await relatedProducts(tenant, p.id) }, 200);
  });
