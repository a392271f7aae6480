import { configOf } from "./config";
import { finishDocument } from "./routes/openapi-document";
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import type { App, AppEnv } from "./app-env";
import { createDb } from "./db/client";
import { ApiError, errorBody, zodDetails } from "./lib/errors";
import { adminAuth, apiKeyAuth } from "./middleware/auth";
import { requestId } from "./middleware/request-id";
import { WINDOW_SECONDS } from "./middleware/rate-limit";
import { jsonBodyGuard, jsonBodyLimit, requireMediaType } from "./middleware/body";
import { registerAdminRoutes } from "./routes/admin";
import { registerAppRoutes } from "./routes/app";
import { registerApiKeyRoutes } from "./routes/api-keys";
import { registerCampaignRoutes } from "./routes/campaigns";
import { registerConsentRoutes } from "./routes/consent";
import { registerContactRoutes } from "./routes/contacts";
import { registerSuppressionRoutes } from "./routes/suppressions";
import { registerSend } from "./routes/send/send";
import { registerDomainRoutes } from "./routes/domains";
import { registerReportRoutes } from "./routes/reports";
import { SUPPRESSION_IMPORT_PATH } from "./routes/suppressions/import";
import { IMPORT_PATH } from "./routes/contacts/import";
import { registerEventRoutes } from "./routes/events";
import { registerFormRoutes } from "./routes/forms";
import { registerInboxRoutes } from "./routes/inbox";
import { registerInteractionRoutes } from "./routes/interactions";
import { registerLeadRoutes } from "./routes/leads";
import { registerLedgerRoutes } from "./routes/ledger";
import { registerMessageRoutes } from "./routes/messages";
import { registerNotificationRoutes } from "./routes/notifications";
import { registerOrderRoutes } from "./routes/orders";
import { ORDER_IMPORT_PATH } from "./routes/orders/import";
import { registerProductRoutes } from "./routes/products";
import { PRODUCT_IMPORT_PATH } from "./routes/products/import";
import { registerPublicRoutes } from "./routes/public";
import { registerRecommendationRoutes } from "./routes/recommendations";
import { registerRfmRoutes } from "./routes/rfm";
import { registerRuleRoutes } from "./routes/rules";
import { registerScenarioRoutes } from "./routes/scenarios";
import { registerSegmentRoutes } from "./routes/segments";
import { registerSettingsRoutes } from "./routes/settings";
import { registerSystemRoutes } from "./routes/system";
import { registerTemplateRoutes } from "./routes/templates";
import { ASSET_UPLOAD_PATH, registerAssetRoutes } from "./routes/assets";
import { registerSnippetRoutes } from "./routes/snippets";
import { registerLandingRoutes } from "./routes/landing";
import { registerTrackingRoutes } from "./routes/tracking";
import { registerUserRoutes } from "./routes/users";
import { registerWebhookRoutes } from "./routes/webhooks";
import { htmlSecurity } from "./ui/security-headers";

/**
 * One entry per folder of routes/: each folder's index.ts exports register<Folder>Routes, which
 * registers the folder's routes (one file per operation or small group). A new feature adds its
 * folder and one line here.
 */
const routeGroups: ((app: App) => void)[] = [
  registerSystemRoutes,
  registerAdminRoutes,
  registerApiKeyRoutes,
  registerUserRoutes,
  registerSettingsRoutes,
  registerContactRoutes,
  registerSuppressionRoutes,
  registerSend,
  registerDomainRoutes,
  registerReportRoutes,
  registerConsentRoutes,
  registerTemplateRoutes,
  registerAssetRoutes,
  registerSnippetRoutes,
  registerLandingRoutes,
  registerScenarioRoutes,
  registerMessageRoutes,
  registerLedgerRoutes,
  registerInboxRoutes,
  registerInteractionRoutes,
  registerNotificationRoutes,
  registerLeadRoutes,
  registerWebhookRoutes,
  registerTrackingRoutes,
  registerEventRoutes,
  registerRuleRoutes,
  registerSegmentRoutes,
  registerCampaignRoutes,
  registerFormRoutes,
  registerPublicRoutes,
  registerProductRoutes,
  registerOrderRoutes,
  registerRfmRoutes,
  registerRecommendationRoutes,
  registerAppRoutes,
];

const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>edge-mail API</title>
    <link rel="stylesheet" href="/docs/swagger-ui/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>`;

export function createApp(): App {
  const app = new OpenAPIHono<AppEnv>({
    // zod failures: a bad query or path answers 400, a well-formed but invalid body 422.
    defaultHook: (result) => {
      if (result.success) return;
      const details = zodDetails(result.error);
      const summary = details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join("; ");
      if (result.target === "json") throw new ApiError("VALIDATION_ERROR", summary, details);
      throw new ApiError("INVALID_QUERY", summary, details);
    },
  });

  app.use("*", requestId);
  app.use("*", async (c, next) => {
    c.set("db", createDb(c.env.DB));
    await next();
  });
  app.use("*", htmlSecurity);
  const jsonOnly = requireMediaType("application/json");
  // The CSV imports check their own media type and size.
  const CSV_PATHS = new Set([IMPORT_PATH, ORDER_IMPORT_PATH, PRODUCT_IMPORT_PATH, SUPPRESSION_IMPORT_PATH]);
  app.use("/api/v1/*", async (c, next) => {
    if (CSV_PATHS.has(c.req.path)) return next();
    // An image upload is multipart, up to 5 MB: its route checks both.
    if (c.req.path === ASSET_UPLOAD_PATH && c.req.method === "POST") return next();
    await jsonBodyLimit(c, async () => {
      await jsonOnly(c, async () => {
        await jsonBodyGuard(c, next);
      });
    });
  });
  app.use("/api/v1/admin/*", adminAuth);
  app.use("/api/v1/*", async (c, next) =>
    c.req.path.startsWith("/api/v1/admin/") ? next() : apiKeyAuth(c, next),
  );

  for (const register of routeGroups) register(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An organization API key (em_live_...)",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "The operator's ADMIN_TOKEN secret",
  });
  app.get("/openapi.json", (c) =>
    c.json(
      finishDocument(
        app.getOpenAPI31Document({
          openapi: "3.1.0",
          info: {
            title: "edge-mail API",
            version: "1.0.0",
            description: "Behavioural email journeys on Cloudflare Workers.",
          },
        }),
        configOf(c.env).PUBLIC_BASE_URL,
      ),
    ),
  );
  // swagger-ui from the Worker's static assets (public/docs), started by a script file: no CDN, no inline script.
  app.get("/docs", (c) => c.html(DOCS_HTML));

  app.notFound((c) =>
    c.json(errorBody("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`, [], c.get("requestId")), 404),
  );
  app.onError((err, c) => {
    const id = c.get("requestId");
    if (err instanceof ApiError) {
      if (err.code === "RATE_LIMIT_EXCEEDED") c.header("Retry-After", String(WINDOW_SECONDS));
      return c.json(errorBody(err.code, err.message, err.details, id), err.status);
    }
    if (err instanceof HTTPException) {
      if (err.status === 400) return c.json(errorBody("MALFORMED_JSON", err.message, [], id), 400);
      if (err.status === 413) return c.json(errorBody("PAYLOAD_TOO_LARGE", err.message, [], id), 413);
      return c.json(errorBody("BAD_REQUEST", err.message, [], id), 400);
    }
    console.error("unhandled error", id, c.req.method, c.req.path, err);
    return c.json(errorBody("INTERNAL_ERROR", "internal error", [], id), 500);
  });
  return app;
}
