import type { App } from "../../app-env";
import { registerAttributionSettings } from "./attribution";
import { registerAudienceSettings } from "./audience";
import { registerBrevoWebhookSettings } from "./brevo-webhook";
import { registerConsentSettings } from "./consent";
import { registerDeliverabilitySettings } from "./deliverability";
import { registerGetSettings } from "./get";
import { registerOrganizationSettings } from "./organization";
import { registerProviderSettings } from "./providers";
import { registerReminderSettings } from "./reminders";
import { registerReplySettings } from "./replies";
import { registerRotateWebhookToken } from "./rotate-webhook-token";
import { registerRfmSettings } from "./rfm";
import { registerScoringSettings } from "./scoring";

/** /api/v1/settings and its groups; each group is GET and PUT /api/v1/settings/<name> (helper.ts). */
export function registerSettingsRoutes(app: App) {
  registerRotateWebhookToken(app);
  registerGetSettings(app);
  registerProviderSettings(app);
  registerScoringSettings(app);
  registerReminderSettings(app);
  registerAudienceSettings(app);
  registerConsentSettings(app);
  registerReplySettings(app);
  registerDeliverabilitySettings(app);
  registerBrevoWebhookSettings(app);
  registerRfmSettings(app);
  registerAttributionSettings(app);
  registerOrganizationSettings(app);
}
