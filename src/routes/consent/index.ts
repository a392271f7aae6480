import type { App } from "../../app-env";
import { registerContactConsents } from "./contact-consents";

/** A contact's consent history and changes. */
export function registerConsentRoutes(app: App) {
  registerContactConsents(app);
}
