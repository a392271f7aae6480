import type { App } from "../../app-env";
import { registerCreateOrganization } from "./create-organization";
import { registerGetUsageMetrics } from "./get-metrics";
import { registerResetUsageMetrics } from "./reset-metrics";

/** Operator routes under /api/v1/admin (ADMIN_TOKEN): organizations and platform metrics. */
export function registerAdminRoutes(app: App) {
  registerCreateOrganization(app);
  registerGetUsageMetrics(app);
  registerResetUsageMetrics(app);
}
