import type { App } from "../../app-env";
import { registerCreateUser } from "./create";
import { registerGetUser } from "./get";
import { registerListUsers } from "./list";

/** Team members (assignees of inbox items, receivers of reminders). */
export function registerUserRoutes(app: App) {
  registerCreateUser(app);
  registerListUsers(app);
  registerGetUser(app);
}
