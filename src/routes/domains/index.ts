import type { App } from "../../app-env";
import { registerCreateDomain } from "./create";
import { registerDeleteDomain } from "./delete";
import { registerGetDomain } from "./get";
import { registerListDomains } from "./list";
import { registerPutWarmup } from "./warmup";

/** Sending domains and their warm-up (API.md, "Sending for developers and deliverability"). */
export function registerDomainRoutes(app: App) {
  registerCreateDomain(app);
  registerListDomains(app);
  registerGetDomain(app);
  registerDeleteDomain(app);
  registerPutWarmup(app);
}
