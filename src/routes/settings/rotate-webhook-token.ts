import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { rotateWebhookToken } from "../../services/organizations/store";
import { jsonResponse, security } from "../openapi";
import { webhookUrls } from "./schema";

const WebhookRotation = z
  .object({
    webhook_urls: z.object({ ses: z.string(), brevo: z.string() }),
    previous_webhook_urls_valid_until: z.string(),
  })
  .openapi("WebhookTokenRotation");

const route = createRoute({
  method: "post",
  path: "/api/v1/settings/webhook-token/rotate",
  operationId: "rotateWebhookToken",
  tags: ["Settings"],
  summary: "Give the organization new webhook URLs; the previous ones keep working for 24 hours",
  security,
  responses: { 200: jsonResponse(WebhookRotation, "The new webhook URLs") },
});

export const registerRotateWebhookToken = (app: App) =>
  app.openapi(route, async (c) => {
    const { token, previousValidUntil } = await rotateWebhookToken(c.get("tenant"));
    return c.json(
      {
        webhook_urls: webhookUrls(configOf(c.env).PUBLIC_BASE_URL, token),
        previous_webhook_urls_valid_until: new Date(previousValidUntil).toISOString(),
      },
      200,
    );
  });
