import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { setInteractionAssignee } from "../../services/interactions/store";
import { errors, idParam, jsonBody, jsonResponse, security } from "../openapi";
import { interactionResponse, preconditionOf, resolveAssignee } from "./helpers";
import { AssigneePatch, IfMatchHeader, Interaction } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/api/v1/interactions/{id}/assignee",
  operationId: "setInteractionAssignee",
  tags: ["Inbox"],
  summary: "Assign (or unassign) an interaction; a new assignee re-arms its reminder",
  security,
  request: { params: idParam, headers: IfMatchHeader, body: jsonBody(AssigneePatch) },
  responses: {
    200: jsonResponse(Interaction, "The updated interaction"),
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerSetInteractionAssignee = (app: App) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const assignee = resolveAssignee(body.assignee_id, c.get("userId")) ?? null;
    const row = await setInteractionAssignee(
      c.get("tenant"),
      c.req.valid("param").id,
      assignee,
      preconditionOf(c, body.updated_at),
    );
    return c.json(interactionResponse(c, row), 200);
  });
