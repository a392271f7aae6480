import type { App } from "../../app-env";
import { registerListOperations } from "./list-operations";

/** The send ledger: GET /api/v1/operations. */
export function registerLedgerRoutes(app: App) {
  registerListOperations(app);
}
