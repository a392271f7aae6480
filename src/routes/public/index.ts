import type { App } from "../../app-env";
import { assetFor } from "../../ui/assets";
import { registerConfirm } from "./confirm";
import { registerConfirmPage } from "./confirm-page";
import { registerFormPost } from "./forms";
import { registerSavePreferences } from "./preferences";
import { registerPreferencesPage } from "./preferences-page";

/** Public, token-addressed pages: sign-up forms, double opt-in confirmation, preference centre, assets. */
export function registerPublicRoutes(app: App) {
  registerFormPost(app);
  registerConfirmPage(app);
  registerConfirm(app);
  registerPreferencesPage(app);
  registerSavePreferences(app);
  app.get("/assets/:file", async (c) => {
    const asset = await assetFor(c.req.param("file"));
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, {
      "Content-Type": asset.type,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    });
  });
}
