import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getAudienceSettings, putAudienceSettings } from "../../services/settings/audience";
import { registerSettings } from "./helper";

const Audience = z
  .object({ max_audience: z.number().int().min(1).max(100_000_000), require_unsubscribe_link: z.boolean() })
  .openapi("AudienceSettings");

export const registerAudienceSettings = (app: App) =>
  registerSettings(app, {
    name: "audience",
    title: "Audience limits: the largest scenario or campaign audience, and the unsubscribe-link rule",
    schema: Audience,
    input: Audience.partial().strict().openapi("AudienceSettingsInput"),
    get: getAudienceSettings,
    put: putAudienceSettings,
  });
