import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { ingestEmailEvent } from "../../services/events/ingest/api";
import { errors, jsonBody, jsonResponse, security } from "../openapi";
import { Accepted, EmailEventInput } from "./schema";

const route = createRoute({
  method: "post",
  path: "/api/v1/email-events",
  operationId: "createEmailEvent",
  tags: ["Events"],
  summary: "Ingest a normalized email event from any provider",
  description:
    "Upserts the message by (provider, external_id), then stores the event; it is applied asynchronously " +
    "like a webhook event (status, counters, score, suppression, sequences). The same event twice counts once.",
  security,
  request: { body: jsonBody(EmailEventInput) },
  responses: {
    202: jsonResponse(Accepted, "Accepted"),
    404: errors[404],
    409: errors[409],
    422: errors[422],
  },
});

export const registerEmailEvents = (app: App) =>
  app.openapi(route, async (c) => {
    const res = await ingestEmailEvent(c.get("tenant"), c.env.EVENTS_QUEUE, c.req.valid("json"));
    return c.json({ id: res.id, duplicate: res.duplicate, message_id: res.message_id }, 202);
  });
