import type { App } from "../../app-env";
import { registerCheckTemplate } from "./check";
import { registerCreateTemplate } from "./create";
import { registerTemplateGallery } from "./gallery";
import { registerTestSendTemplate } from "./test-send";
import { registerDeleteTemplate } from "./delete";
import { registerGetTemplate } from "./get";
import { registerListTemplates } from "./list";
import { registerPreviewTemplate } from "./preview";
import { registerUpdateTemplate } from "./update";

export function registerTemplateRoutes(app: App) {
  registerCreateTemplate(app);
  registerListTemplates(app);
  registerGetTemplate(app);
  registerUpdateTemplate(app);
  registerDeleteTemplate(app);
  registerPreviewTemplate(app);
  registerCheckTemplate(app);
  registerTemplateGallery(app);
  registerTestSendTemplate(app);
}
