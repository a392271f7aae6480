import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getInteraction } from "../../services/interactions/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { interactionResponse } from "./helpers";
import { Interaction } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/interactions/{id}",
  operationId: "getInteraction",
  tags: ["Inbox"],
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(Interaction, "The interaction (ETag: its version)"), 404: errors[404] },
});

export const registerGetInteraction = (app: App) =>
  app.openapi(route, async (c) => {
    const row = await getInteraction(c.get("tenant"), c.req.valid("param").id);
    return c.json(interactionResponse(c, row), 200);
  });
