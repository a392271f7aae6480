import type { Tenant } from "../../lib/tenant";
import { getSettings, putSettings } from "../organizations/store";

/**
 * The organization's own timezone and locale (GET|PUT /api/v1/settings/organization): reports are
 * bucketed by day and week in this timezone.
 */
export interface OrganizationProfile {
  timezone: string;
  locale: "en" | "fr";
}

export const DEFAULT_PROFILE: OrganizationProfile = { timezone: "UTC", locale: "en" };
const KEY = "organization";

export const getOrganizationProfile = (tenant: Tenant) => getSettings(tenant, KEY, DEFAULT_PROFILE);

export async function putOrganizationProfile(tenant: Tenant, patch: Partial<OrganizationProfile>) {
  const next = { ...(await getOrganizationProfile(tenant)), ...patch };
  await putSettings(tenant, KEY, next);
  return next;
}
