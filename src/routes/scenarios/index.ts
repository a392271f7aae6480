import type { App } from "../../app-env";
import { registerCreateScenario } from "./create";
import { registerGetScenario } from "./get";
import { registerListScenarios } from "./list";
import { registerScenarioManagement } from "./manage";
import { registerListSequences } from "./sequences";
import { registerSimulateScenario } from "./simulate";
import { registerPutSteps } from "./steps";
import { registerTransitionRoutes } from "./transitions";

export function registerScenarioRoutes(app: App) {
  registerCreateScenario(app);
  registerListScenarios(app);
  registerGetScenario(app);
  registerPutSteps(app);
  registerTransitionRoutes(app);
  registerListSequences(app);
  registerSimulateScenario(app);
  registerScenarioManagement(app);
}
