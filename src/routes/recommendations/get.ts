import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { recommendationsFor } from "../../services/recommendations/recommend";
import { getContact } from "../../services/contacts/store";
import { errors, idParam, jsonResponse, security } from "../openapi";

const route = createRoute({
  method: "get",
  path: "/api/v1/contacts/{id}/recommendations",
  operationId: "getContactRecommendations",
  tags: ["RFM"],
  summary: "Up to 3 products for the contact, by their RFM segment (cross_sell, rebuy or winback)",
  security,
  request: { params: idParam },
  responses: {
    200: jsonResponse(
      z.object({
        kind: z.enum(["rebuy", "cross_sell", "winback"]).nullable(),
        products: z.array(z.record(z.string(), z.unknown())),
      }),
      "The recommendations",
    ),
    401: errors[401],
    404: errors[404],
  },
});

export const registerGetRecommendations = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const contact = await getContact(tenant, c.req.valid("param").id);
    return c.json(await recommendationsFor(tenant, contact), 200);
  });
