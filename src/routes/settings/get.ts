import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { App } from "../../app-env";
import { configOf } from "../../config";
import { providerAccounts } from "../../db/schema";
import { scoped } from "../../lib/tenant";
import { getOrganization } from "../../services/organizations";
import { jsonResponse, security } from "../openapi";

const Settings = z
  .object({
    organization: z.object({ id: z.string(), name: z.string() }),
    webhook_urls: z.object({ ses: z.string(), brevo: z.string() }),
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

export const registerGetSettings = (app: App) =>
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
        webhook_urls: {
          ses: `${base}/webhooks/ses/${org.webhookToken}`,
          brevo: `${base}/webhooks/brevo/${org.webhookToken}`,
        },
        providers: {
          log: { configured: true as const },
          ses: { configured: has("ses") },
          brevo: { configured: has("brevo") },
        },
      },
      200,
    );
  });
