import type { App } from "../../app-env";
import { registerCreateContact } from "./create";
import { registerEraseContact } from "./delete";
import { registerExportContact } from "./export";
import { registerGetContact } from "./get";
import { registerImportContacts } from "./import";
import { registerListContacts } from "./list";
import { registerScoreHistory } from "./score-history";
import { registerUpdateContact } from "./update";

export function registerContactRoutes(app: App) {
  // import before /{id} so the literal path wins
  registerImportContacts(app);
  registerCreateContact(app);
  registerListContacts(app);
  registerGetContact(app);
  registerUpdateContact(app);
  registerEraseContact(app);
  registerExportContact(app);
  registerScoreHistory(app);
}
