import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getBrevoWebhookSettings, putBrevoWebhookSettings } from "../../webhooks/brevo";
import { parseCidr } from "../../webhooks/ip-allowlist";
import { errors, jsonBody, jsonResponse, security } from "../openapi";

const View = z
  .object({
    auth: z.object({ type: z.enum(["none", "bearer", "basic"]), username: z.string().optional() }),
    allowed_ips: z.array(z.string()),
  })
  .openapi("BrevoWebhookSettings");

const Input = z
  .object({
    auth: z
      .discriminatedUnion("type", [
        z.object({ type: z.literal("none") }),
        z.object({ type: z.literal("bearer"), token: z.string().min(16).max(500) }),
        z.object({
          type: z.literal("basic"),
          username: z
            .string()
            .min(1)
            .max(200)
            .regex(/^[^:]*$/, "must not contain ':'"),
          password: z.string().min(8).max(500),
        }),
      ])
      .default({ type: "none" }),
    allowed_ips: z
      .array(z.string().refine((r) => parseCidr(r) !== null, "must be an IP address or CIDR range"))
      .max(100)
      .default([]),
  })
  .openapi("BrevoWebhookSettingsInput");

const view = (s: Awaited<ReturnType<typeof getBrevoWebhookSettings>>) => ({
  auth: s.auth.type === "basic" ? { type: s.auth.type, username: s.auth.username } : { type: s.auth.type },
  allowed_ips: s.allowed_ips,
});

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/settings/brevo-webhook",
  operationId: "getBrevoWebhookSettings",
  tags: ["Settings"],
  summary: "Checks on the Brevo webhook besides its path token (secrets are never shown)",
  security,
  responses: { 200: jsonResponse(View, "The checks") },
});

const putRoute = createRoute({
  method: "put",
  path: "/api/v1/settings/brevo-webhook",
  operationId: "putBrevoWebhookSettings",
  tags: ["Settings"],
  summary: "Require a bearer token or basic auth, and/or an IP allowlist, on the Brevo webhook",
  security,
  request: { body: jsonBody(Input) },
  responses: { 200: jsonResponse(View, "The checks"), 422: errors[422] },
});

export function registerBrevoWebhookSettings(app: App) {
  app.openapi(getRoute, async (c) => c.json(view(await getBrevoWebhookSettings(c.get("tenant"))), 200));
  app.openapi(putRoute, async (c) =>
    c.json(view(await putBrevoWebhookSettings(c.get("tenant"), c.req.valid("json"))), 200),
  );
}
