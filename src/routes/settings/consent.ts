import { z } from "@hono/zod-openapi";
import type { App } from "../../app-env";
import { getConsentSettings, putConsentSettings } from "../../services/consent/settings";
import { registerSettings } from "./helper";

const Consent = z
  .object({
    require_email_consent: z.boolean(),
    require_sms_consent: z.boolean(),
    double_opt_in: z.boolean(),
    pending_expiry_days: z.number().int().min(1).max(365),
  })
  .openapi("ConsentSettings");

export const registerConsentSettings = (app: App) =>
  registerSettings(app, {
    name: "consent",
    title: "Consent rules: email and SMS consent required, double opt-in, pending expiry",
    schema: Consent,
    input: Consent.partial().strict().openapi("ConsentSettingsInput"),
    get: getConsentSettings,
    put: putConsentSettings,
  });
