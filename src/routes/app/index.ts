import type { App } from "../../app-env";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../../lib/errors";
import { registerContactPage } from "./contact";
import { registerContactList } from "./contacts";
import { registerDashboard } from "./dashboard";
import { registerInbox } from "./inbox";
import { registerLogin } from "./login";
import { notFoundPage } from "./not-found";
import { appRenderer } from "../../ui/app/renderer";
import { uiSession } from "./session";
import { registerTemplates } from "./templates";
import { registerLandingPages } from "./landing-pages";
import { registerCampaigns } from "./campaigns";
import { registerRules } from "./rules";
import { registerScenarioPage } from "./scenario";
import { registerJourneyEditor } from "./journey";
import { registerScenarioList } from "./scenarios";
import { registerSegments } from "./segments";
import { registerSettingsPage } from "./settings";
import { registerSuppressionPages } from "./suppressions";
import { registerDomainPages } from "./domains";
import { registerReportsPage } from "./reports";

/**
 * The web UI at /app: server-rendered pages over the same services as the API, in the session's
 * tenant scope. Forms post url-encoded (a CSV import multipart, at most 10 MB) with a CSRF token.
 */
export function registerAppRoutes(app: App) {
  app.use(
    "/app/*",
    bodyLimit({ maxSize: 11 * 1024 * 1024, onError: (c) => c.text("The upload is over 10 MB.", 413) }),
  );
  // Pages let a service's 404 (unknown id, or another organization's) through to here: one page for it.
  app.use("/app/*", async (c, next) => {
    await next();
    if (c.error instanceof ApiError && c.error.status === 404 && c.get("uiSession"))
      c.res = await notFoundPage(c);
  });
  app.use("/app/*", uiSession);
  app.use("/app/*", appRenderer);
  registerLogin(app);
  registerDashboard(app);
  registerContactList(app);
  registerContactPage(app);
  registerTemplates(app);
  registerLandingPages(app);
  registerInbox(app);
  registerScenarioList(app);
  registerJourneyEditor(app);
  registerScenarioPage(app);
  registerSegments(app);
  registerCampaigns(app);
  registerRules(app);
  registerSettingsPage(app);
  registerSuppressionPages(app);
  registerDomainPages(app);
  registerReportsPage(app);
  app.all("/app/*", (c) => notFoundPage(c));
}
