import type { App } from "../../app-env";
import { registerCampaignActions } from "./actions";
import { registerCampaignCrud } from "./crud";
import { registerCampaignReports } from "./reports";

/** Campaigns (API.md): CRUD, dry run, send / schedule / pause / resume / cancel, stats, recipients. */
export function registerCampaignRoutes(app: App) {
  registerCampaignCrud(app);
  registerCampaignActions(app);
  registerCampaignReports(app);
}
