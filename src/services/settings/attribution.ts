import type { Tenant } from "../../lib/tenant";
import { getSettings, putSettings } from "../organizations/store";

/**
 * How purchases are credited to emails (GET|PUT /api/v1/settings/attribution): the last human
 * click (last_click) or the last human open or click (last_touch) on a message within window_days
 * before the purchase. Read when an order is recorded and stored with it.
 */
export interface AttributionSettings {
  window_days: number;
  model: "last_click" | "last_touch";
}

export const DEFAULT_ATTRIBUTION: AttributionSettings = { window_days: 5, model: "last_click" };
const KEY = "attribution";

export const getAttributionSettings = (tenant: Tenant) => getSettings(tenant, KEY, DEFAULT_ATTRIBUTION);

export async function putAttributionSettings(tenant: Tenant, patch: Partial<AttributionSettings>) {
  const next = { ...(await getAttributionSettings(tenant)), ...patch };
  await putSettings(tenant, KEY, next);
  return next;
}
