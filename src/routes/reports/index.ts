import type { App } from "../../app-env";
import { registerReportMessages } from "./messages";
import { registerReportOverview } from "./overview";

/** Reports (API.md, "Revenue, reports and exports"). */
export function registerReportRoutes(app: App) {
  registerReportOverview(app);
  registerReportMessages(app);
}
