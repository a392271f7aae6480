import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getRfmSettings, putRfmSettings } from "../../services/rfm/compute";
import { registerSettings } from "./helper";

const Settings = z
  .object({
    vip_threshold: z.number().min(0).max(4),
    standard_threshold: z.number().min(0).max(4),
    churn_days: z.number().int().min(1).max(3650),
    offer_code: z
      .string()
      .max(100)
      .regex(/^[^\u0000-\u001f\u007f]*$/)
      .nullable(),
  })
  .openapi("RfmSettings");

export const registerRfmSettings = (app: App) =>
  registerSettings(app, {
    name: "rfm",
    title: "RFM: segment thresholds, the churn window and the offer code",
    schema: Settings,
    input: Settings.partial().strict().openapi("RfmSettingsInput"),
    get: getRfmSettings,
    put: putRfmSettings,
  });
