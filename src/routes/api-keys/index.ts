import type { App } from "../../app-env";
import { registerCreateApiKey } from "./create";
import { registerListApiKeys } from "./list";
import { registerRevokeApiKey } from "./revoke";

/** The organization's API keys: create (shown once), list, revoke. */
export function registerApiKeyRoutes(app: App) {
  registerCreateApiKey(app);
  registerListApiKeys(app);
  registerRevokeApiKey(app);
}
