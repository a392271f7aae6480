import type { App } from "../../app-env";
import { registerGetRfm } from "./get";
import { registerRecomputeRfm } from "./recompute";

/** RFM: the distribution and its job, and a recompute on demand (thresholds: settings/rfm.ts). */
export function registerRfmRoutes(app: App) {
  registerGetRfm(app);
  registerRecomputeRfm(app);
}
