import type { App } from "../../app-env";
import { registerListNotifications } from "./list";
import { registerMarkNotificationRead } from "./read";
import { registerMarkAllNotificationsRead } from "./read-all";

/** The reminders raised for the key's user, and marking them read. */
export function registerNotificationRoutes(app: App) {
  registerListNotifications(app);
  registerMarkAllNotificationsRead(app);
  registerMarkNotificationRead(app);
}
