import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { removeSuppression } from "../../services/suppressions/manage";
import { errors, jsonResponse, security } from "../openapi";
import { EmailParam, Suppression, tags } from "./schema";

const route = createRoute({
  method: "delete",
  path: "/api/v1/suppressions/{email}",
  operationId: "removeSuppression",
  tags,
  summary: "Take an address off the list (recorded as a suppression_removed event)",
  security,
  request: { params: EmailParam },
  responses: { 200: jsonResponse(Suppression, "The suppression removed"), 404: errors[404] },
});

export const registerRemoveSuppression = (app: App) =>
  app.openapi(route, async (c) =>
    c.json(await removeSuppression(c.get("tenant"), c.req.valid("param").email, "api"), 200),
  );
