import type { App } from "../../app-env";
import { registerClickTracking } from "./click";
import { registerOpenTracking } from "./open";
import { registerUnsubscribe } from "./unsubscribe";
import { registerUnsubscribePage } from "./unsubscribe-page";

/** Public, token-signed tracking and unsubscribe endpoints (/t/o, /t/c, /u). */
export function registerTrackingRoutes(app: App) {
  registerOpenTracking(app);
  registerClickTracking(app);
  registerUnsubscribePage(app);
  registerUnsubscribe(app);
}
