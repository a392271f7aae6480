import type { App } from "../../app-env";
import { registerBulkInteractions } from "./bulk";
import { registerCreateInteraction } from "./create";
import { registerGetInteraction } from "./get";
import { registerSetInteractionAssignee } from "./update-assignee";
import { registerSetInteractionNextAction } from "./update-next-action";
import { registerSetInteractionStatus } from "./update-status";

export function registerInteractionRoutes(app: App) {
  registerCreateInteraction(app);
  registerBulkInteractions(app);
  registerGetInteraction(app);
  registerSetInteractionStatus(app);
  registerSetInteractionAssignee(app);
  registerSetInteractionNextAction(app);
}
