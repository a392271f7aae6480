import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { now } from "../../lib/clock";
import { getOrganization } from "../../services/organizations/store";
import { configuredProviders } from "../../services/settings/provider-accounts";
import { jsonResponse, security } from "../openapi";
import { Settings, webhookUrls } from "./schema";

const route = createRoute({
  method: "get",
  path: "/api/v1/settings",
  operationId: "getSettings",
  tags: ["Settings"],
  summary: "Organization settings, webhook URLs and which providers are configured (never their secrets)",
  security,
  responses: { 200: jsonResponse(Settings, "Settings") },
});

export const registerGetSettings = (app: App) =>
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const org = await getOrganization(tenant);
    const configured = await configuredProviders(tenant);
    return c.json(
      {
        organization: { id: org.id, name: org.name },
        webhook_urls: webhookUrls(configOf(c.env).PUBLIC_BASE_URL, org.webhookToken),
        previous_webhook_urls_valid_until:
          org.previousTokenExpiresAt && org.previousTokenExpiresAt > now()
            ? new Date(org.previousTokenExpiresAt).toISOString()
            : null,
        providers: {
          log: { configured: true as const },
          ses: { configured: configured.has("ses") },
          brevo: { configured: configured.has("brevo") },
        },
      },
      200,
    );
  });
