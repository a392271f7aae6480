import type { App } from "../../app-env";
import { registerListNotifications } from "./list";
import { registerReadNotifications } from "./read";

export function registerNotificationRoutes(app: App) {
  registerListNotifications(app);
  registerReadNotifications(app);
}
