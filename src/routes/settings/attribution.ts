import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getAttributionSettings, putAttributionSettings } from "../../services/settings/attribution";
import { registerSettings } from "./helper";

const Attribution = z
  .object({
    window_days: z.number().int().min(1).max(90).openapi({ description: "1 to 90 days (default 5)" }),
    model: z.enum(["last_click", "last_touch"]).openapi({
      description: "last_click: the last human click; last_touch: the last human open or click",
    }),
  })
  .openapi("AttributionSettings");

export const registerAttributionSettings = (app: App) =>
  registerSettings(app, {
    name: "attribution",
    title: "Revenue attribution: the window and the model that credit a purchase to an email",
    schema: Attribution,
    input: Attribution.partial().strict().openapi("AttributionSettingsInput"),
    get: getAttributionSettings,
    put: putAttributionSettings,
  });
