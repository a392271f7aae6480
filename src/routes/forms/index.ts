import type { App } from "../../app-env";
import { registerCreateForm } from "./create";
import { registerDeleteForm } from "./delete";
import { registerEmbedForm } from "./embed";
import { registerGetForm } from "./get";
import { registerListForms } from "./list";
import { registerUpdateForm } from "./update";

/** Sign-up forms (API.md, "Consent, sign-up forms, preferences"); the public POST /f/:token is in routes/public. */
export function registerFormRoutes(app: App) {
  registerCreateForm(app);
  registerListForms(app);
  registerGetForm(app);
  registerEmbedForm(app);
  registerUpdateForm(app);
  registerDeleteForm(app);
}
