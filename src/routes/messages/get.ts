import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getMessage, messageView, rawOf } from "../../services/messages/store";
import { errors, idParam, jsonResponse, security } from "../openapi";
import { MessageWithRaw } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/messages/{id}",
  operationId: "getMessage",
  tags: ["Messages"],
  summary: "One message with its raw MIME",
  security,
  request: { params: idParam },
  responses: { 200: jsonResponse(MessageWithRaw, "The message"), 404: errors[404] },
});

export const registerGetMessage = (app: App) =>
  app.openapi(route, async (c) => {
    const row = await getMessage(c.get("tenant"), c.req.valid("param").id);
    return c.json({ ...messageView(row), raw: await rawOf(c.env.ARCHIVE, row) }, 200);
  });
