import type { App } from "../../app-env";
import { registerBehaviourEvents } from "./behaviour";
import { registerEmailEvents } from "./email-events";

/** The two ingest APIs: behaviour events and normalized email events from any provider. */
export function registerEventRoutes(app: App) {
  registerBehaviourEvents(app);
  registerEmailEvents(app);
}
