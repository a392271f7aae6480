import type { App } from "../../app-env";
import { registerGetRecommendations } from "./get";

/** A contact's recommendations: GET /api/v1/contacts/:id/recommendations. */
export function registerRecommendationRoutes(app: App) {
  registerGetRecommendations(app);
}
