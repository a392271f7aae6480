import type { App } from "../../app-env";
import { registerCreateCampaign } from "./create";
import { registerDryRunCampaign } from "./dry-run";
import { registerDuplicateCampaign } from "./duplicate";
import { registerExportCampaignRecipients } from "./export-recipients";
import { registerGetCampaign } from "./get";
import { registerListCampaigns } from "./list";
import { registerListCampaignRecipients } from "./list-recipients";
import { registerCampaignTimeline } from "./timeline";
import { registerCampaignLinks } from "./links";
import { registerCampaignTransitions } from "./transition";
import { registerUpdateCampaign } from "./update";

/** Campaigns (API.md): CRUD, dry run, send / schedule / pause / resume / cancel, stats, recipients. */
export function registerCampaignRoutes(app: App) {
  registerCreateCampaign(app);
  registerListCampaigns(app);
  registerGetCampaign(app);
  registerUpdateCampaign(app);
  registerDuplicateCampaign(app);
  registerDryRunCampaign(app);
  registerCampaignTransitions(app);
  registerCampaignTimeline(app);
  registerCampaignLinks(app);
  registerListCampaignRecipients(app);
  registerExportCampaignRecipients(app);
}
