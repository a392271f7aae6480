import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { providerAccounts } from "../../db/schema";
import { now } from "../../lib/clock";
import { scoped } from "../../lib/tenant";
import { getOrganization, rotateWebhookToken } from "../../services/organizations";
import { jsonResponse, security } from "../openapi";

const Settings = z
  .object({
    organization: z.object({ id: z.string(), name: z.string() }),
    webhook_urls: z.object({ ses: z.string(), brevo: z.string() }),
    /** Set for 24 hours after a rotation: until then the previous URLs keep working. */
    previous_webhook_urls_valid_until: z.string().nullable(),
    providers: z.object({
      log: z.object({ configured: z.literal(true) }),
      ses: z.object({ configured: z.boolean() }),
      brevo: z.object({ configured: z.boolean() }),
    }),
  })
  .openapi("Settings");

const route = createRoute({
  method: "get",
  path: "/api/v1/settings",
  operationId: "getSettings",
  tags: ["Settings"],
  summary: "Organization settings, webhook URLs and which providers are configured (never their secrets)",
  security,
  responses: { 200: jsonResponse(Settings, "Settings") },
});

const WebhookRotation = z
  .object({
    webhook_urls: z.object({ ses: z.string(), brevo: z.string() }),
    previous_webhook_urls_valid_until: z.string(),
  })
  .openapi("WebhookTokenRotation");

const rotateRoute = createRoute({
  method: "post",
  path: "/api/v1/settings/webhook-token/rotate",
  operationId: "rotateWebhookToken",
  tags: ["Settings"],
  summary: "Give the organization new webhook URLs; the previous ones keep working for 24 hours",
  security,
  responses: { 200: jsonResponse(WebhookRotation, "The new webhook URLs") },
});

export const webhookUrls = (base: string, token: string) => ({
  ses: `${base}/webhooks/ses/${token}`,
  brevo: `${base}/webhooks/brevo/${token}`,
});

export const registerGetSettings = (app: App) => {
  app.openapi(rotateRoute, async (c) => {
    const { token, previousValidUntil } = await rotateWebhookToken(c.get("tenant"));
    return c.json(
      {
        webhook_urls: webhookUrls(configOf(c.env).PUBLIC_BASE_URL, token),
        previous_webhook_urls_valid_until: new Date(previousValidUntil).toISOString(),
      },
      200,
    );
  });
  app.openapi(route, async (c) => {
    const tenant = c.get("tenant");
    const org = await getOrganization(tenant);
    const base = configOf(c.env).PUBLIC_BASE_URL;
    const accounts = await tenant.db
      .select({ provider: providerAccounts.provider })
      .from(providerAccounts)
      .where(scoped(tenant, providerAccounts, eq(providerAccounts.organizationId, tenant.orgId)))
      .all();
    const has = (p: string) => accounts.some((a) => a.provider === p);
    return c.json(
      {
        organization: { id: org.id, name: org.name },
        webhook_urls: webhookUrls(base, org.webhookToken),
        previous_webhook_urls_valid_until:
          org.previousTokenExpiresAt && org.previousTokenExpiresAt > now()
            ? new Date(org.previousTokenExpiresAt).toISOString()
            : null,
        providers: {
          log: { configured: true as const },
          ses: { configured: has("ses") },
          brevo: { configured: has("brevo") },
        },
      },
      200,
    );
  });
};
