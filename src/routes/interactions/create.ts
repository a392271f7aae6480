import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { createInteraction } from "../../services/interactions/store";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { interactionResponse, resolveAssignee, toMs } from "./helpers";
import { Interaction, InteractionCreate } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/interactions",
  operationId: "createInteraction",
  tags: ["Inbox"],
  summary: "Create an interaction (a task, call, note...) by hand",
  security,
  request: { body: jsonBody(InteractionCreate) },
  responses: { 201: jsonResponse(Interaction, "The interaction (ETag: its version)"), 422: errors[422] },
});

export const registerCreateInteraction = (app: App) =>
  app.openapi(route, async (c) => {
    const input = c.req.valid("json");
    const row = await createInteraction(c.get("tenant"), {
      ...input,
      assignee_id: resolveAssignee(input.assignee_id, c.get("userId")),
      next_action_at: toMs(input.next_action_at),
    });
    return c.json(interactionResponse(c, row), 201);
  });
