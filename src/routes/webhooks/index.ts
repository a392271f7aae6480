import type { App } from "../../app-env";
import { registerBrevoWebhook } from "./brevo";
import { registerBrevoWebhookSettings } from "./brevo-settings";
import { registerSesWebhook } from "./ses";

/** Provider webhooks (public, organization token in the path) and the Brevo webhook checks. */
export function registerWebhookRoutes(app: App) {
  registerSesWebhook(app);
  registerBrevoWebhook(app);
  registerBrevoWebhookSettings(app);
}
