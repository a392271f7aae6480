import type { App } from "../../app-env";
import { registerCreateScenario } from "./create";
import { registerGetScenario } from "./get";
import { registerListScenarios } from "./list";
import { registerDeleteScenario } from "./delete";
import { registerDuplicateScenario } from "./duplicate";
import { registerUpdateScenario } from "./update";
import { registerListSequences } from "./sequences";
import { registerSimulateScenario } from "./simulate";
import { registerPutSteps } from "./steps";
import { registerTransitionRoutes } from "./transitions";

/** Scenarios (API.md): CRUD, steps, start / pause / resume / stop, sequences, simulation. */
export function registerScenarioRoutes(app: App) {
  registerCreateScenario(app);
  registerListScenarios(app);
  registerGetScenario(app);
  registerPutSteps(app);
  registerTransitionRoutes(app);
  registerListSequences(app);
  registerSimulateScenario(app);
  registerUpdateScenario(app);
  registerDeleteScenario(app);
  registerDuplicateScenario(app);
}
