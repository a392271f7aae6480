import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getBrevoWebhookSettings, putBrevoWebhookSettings } from "../../services/events/ingest/brevo";
import { parseCidr } from "../../services/events/ingest/ip-allowlist";
import { registerSettings } from "./helper";

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

export const registerBrevoWebhookSettings = (app: App) =>
  registerSettings(app, {
    name: "brevo-webhook",
    title:
      "Checks on the Brevo webhook besides its path token: bearer token or basic auth, IP allowlist (secrets never shown)",
    schema: View,
    input: Input,
    get: async (tenant) => view(await getBrevoWebhookSettings(tenant)),
    put: async (tenant, input) => view(await putBrevoWebhookSettings(tenant, input)),
  });
