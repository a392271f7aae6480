import type { App } from "../../app-env";
import { registerCreateRule } from "./create";
import { registerDeleteRule } from "./delete";
import { registerGetRule } from "./get";
import { registerListRules } from "./list";
import { registerListRuleRuns } from "./runs";
import { registerTestRules } from "./test";
import { registerUpdateRule } from "./update";

/** Automation rules (API.md): CRUD, run records, dry run; and the default rules of new organizations. */
export function registerRuleRoutes(app: App) {
  // the literal /rules/test before /rules/{id}
  registerTestRules(app);
  registerListRules(app);
  registerCreateRule(app);
  registerGetRule(app);
  registerUpdateRule(app);
  registerDeleteRule(app);
  registerListRuleRuns(app);
}
