import type { App } from "../../app-env";
import { registerExportHotLeads } from "./export-hot-leads";
import { registerExportInbox } from "./export-inbox";
import { registerGetInbox } from "./list";

/** The team inbox and its CSV exports (interactions and notifications are their own folders). */
export function registerInboxRoutes(app: App) {
  registerGetInbox(app);
  registerExportInbox(app);
  registerExportHotLeads(app);
}
