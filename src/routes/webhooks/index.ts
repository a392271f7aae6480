import type { App } from "../../app-env";
import { registerBrevoWebhook } from "./brevo";
import { registerSesWebhook } from "./ses";

/** Provider webhooks (public, organization token in the path). */
export function registerWebhookRoutes(app: App) {
  registerSesWebhook(app);
  registerBrevoWebhook(app);
}
