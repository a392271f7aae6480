import type { App } from "../../app-env";
import { registerGetMessage } from "./get";
import { registerListMessages } from "./list";

export function registerMessageRoutes(app: App) {
  registerListMessages(app);
  registerGetMessage(app);
}
