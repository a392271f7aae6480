import type { App } from "../../app-env";
import { registerInteractionRoutes } from "../interactions";
import { registerNotificationRoutes } from "../notifications";
import { registerReminderSettingsRoutes } from "../settings/reminders";
import { registerExportHotLeads } from "./export-hot-leads";
import { registerExportInbox } from "./export-inbox";
import { registerGetInbox } from "./list";

/**
 * The team inbox feature: the inbox and its CSV exports, interactions, notifications and the
 * reminder settings (one entry in app.ts routeGroups).
 */
export function registerInboxRoutes(app: App) {
  registerGetInbox(app);
  registerExportInbox(app);
  registerExportHotLeads(app);
  registerInteractionRoutes(app);
  registerNotificationRoutes(app);
  registerReminderSettingsRoutes(app);
}
