import type { App } from "../../app-env";
import { registerBehaviourEvents } from "./behaviour";
import { registerEmailEvents } from "./email-events";
import { registerEventLog } from "./list-log";

/** The two ingest APIs (behaviour events, normalized email events from any provider) and the event log. */
export function registerEventRoutes(app: App) {
  registerBehaviourEvents(app);
  registerEmailEvents(app);
  registerEventLog(app);
}
