import type { App } from "../../app-env";
import { registerRecordContactConsent } from "./create";
import { registerListContactConsents } from "./list";

/** A contact's consent history and changes. */
export function registerConsentRoutes(app: App) {
  registerListContactConsents(app);
  registerRecordContactConsent(app);
}
