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
import { registerGetFlow } from "./flow-get";
import { registerPutFlow } from "./flow-put";
import { registerEnroll } from "./enroll";
import { registerListRuns } from "./runs";
import { registerGetRun } from "./run-get";
import { registerTransitionRoutes } from "./transitions";

/** Scenarios (API.md): CRUD, steps, the journey's flow, enroll and runs, start / pause / resume / stop, sequences, simulation. */
export function registerScenarioRoutes(app: App) {
  registerCreateScenario(app);
  registerListScenarios(app);
  registerGetScenario(app);
  registerPutSteps(app);
  registerGetFlow(app);
  registerPutFlow(app);
  registerEnroll(app);
  registerListRuns(app);
  registerGetRun(app);
  registerTransitionRoutes(app);
  registerListSequences(app);
  registerSimulateScenario(app);
  registerUpdateScenario(app);
  registerDeleteScenario(app);
  registerDuplicateScenario(app);
}
