import type { App } from "../../app-env";
import { registerAddSuppressions } from "./add";
import { registerExportSuppressions } from "./export";
import { registerImportSuppressions } from "./import";
import { registerListSuppressions } from "./list";
import { registerRemoveSuppression } from "./remove";

/** The suppression list (API.md, "Sending for developers and deliverability"). */
export function registerSuppressionRoutes(app: App) {
  // The literal paths before /{email}.
  registerImportSuppressions(app);
  registerExportSuppressions(app);
  registerListSuppressions(app);
  registerAddSuppressions(app);
  registerRemoveSuppression(app);
}
