import type { App } from "../../app-env";
import { registerImportOrders } from "./import";

/** Order history: POST /api/v1/orders/import (purchases otherwise arrive as behaviour events). */
export function registerOrderRoutes(app: App) {
  registerImportOrders(app);
}
