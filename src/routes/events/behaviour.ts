import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { ingestBehaviourEvent } from "../../services/events/ingest/api";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Accepted, BehaviourEventInput } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/events",
  operationId: "createBehaviourEvent",
  tags: ["Events"],
  summary: "Record a behaviour event (page_visit, purchase with an amount, form_submit, custom)",
  description:
    "Stored, then applied asynchronously (last activity, rules). The same idempotency_key twice is one event.",
  security,
  request: { body: jsonBody(BehaviourEventInput) },
  responses: { 202: jsonResponse(Accepted, "Accepted"), 404: errors[404], 422: errors[422] },
});

export const registerBehaviourEvents = (app: App) =>
  app.openapi(route, async (c) => {
    const res = await ingestBehaviourEvent(c.get("tenant"), c.env.EVENTS_QUEUE, c.req.valid("json"));
    return c.json({ id: res.id, duplicate: res.duplicate }, 202);
  });
