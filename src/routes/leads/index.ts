import type { App } from "../../app-env";
import { registerHotLeads } from "./hot";

/** GET /api/v1/leads/hot. */
export function registerLeadRoutes(app: App) {
  registerHotLeads(app);
}
