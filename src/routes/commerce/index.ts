import type { App } from "../../app-env";
import "../../services/commerce/audience-check";
import "../../services/commerce/templates";
import { registerProductRoutes } from "./products";
import { registerRfmRoutes } from "./rfm";

/** Products, orders, RFM and recommendations (API.md). */
export function registerCommerceRoutes(app: App) {
  registerProductRoutes(app);
  registerRfmRoutes(app);
}
