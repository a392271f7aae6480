import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { setInteractionNextAction } from "../../services/interactions/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { interactionResponse, preconditionOf, toMs } from "./helpers";
import { IfMatchHeader, Interaction, NextActionPatch } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/interactions/{id}/next-action",
  operationId: "setInteractionNextAction",
  tags: ["Inbox"],
  summary: "Reschedule the next action; clears notified_at so the reminder fires again",
  security,
  request: { params: idParam, headers: IfMatchHeader, body: jsonBody(NextActionPatch) },
  responses: {
    200: jsonResponse(Interaction, "The updated interaction"),
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerSetInteractionNextAction = (app: App) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const at = toMs(body.next_action_at) ?? null;
    const row = await setInteractionNextAction(
      c.get("tenant"),
      c.req.valid("param").id,
      at,
      preconditionOf(c, body.updated_at),
    );
    return c.json(interactionResponse(c, row), 200);
  });
