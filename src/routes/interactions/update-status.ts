import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { setInteractionStatus } from "../../services/interactions/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { interactionResponse, preconditionOf } from "./helpers";
import { IfMatchHeader, Interaction, StatusPatch } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/interactions/{id}/status",
  operationId: "setInteractionStatus",
  tags: ["Inbox"],
  summary: "Move an interaction to todo, in_progress or done",
  security,
  request: { params: idParam, headers: IfMatchHeader, body: jsonBody(StatusPatch) },
  responses: {
    200: jsonResponse(Interaction, "The updated interaction"),
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerSetInteractionStatus = (app: App) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const row = await setInteractionStatus(
      c.get("tenant"),
      c.req.valid("param").id,
      body.status,
      preconditionOf(c, body.updated_at),
    );
    return c.json(interactionResponse(c, row), 200);
  });
