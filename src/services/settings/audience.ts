import type { Tenant } from "../../lib/tenant";
import { getSettings, putSettings } from "../organizations/store";

/** Audience limits and content rules of an organization (GET|PUT /api/v1/settings/audience). */
export interface AudienceSettings {
  /** A scenario start or a campaign send to more contacts than this answers 422 SEGMENT_TOO_LARGE. */
  max_audience: number;
  /** Campaign and scenario templates must contain {{ unsubscribe_url }} (422 INVALID_EMAIL_CONTENT). */
  require_unsubscribe_link: boolean;
}

export const DEFAULT_AUDIENCE: AudienceSettings = {
  max_audience: 1_000_000,
  require_unsubscribe_link: false,
};
const KEY = "audience";

export const getAudienceSettings = (tenant: Tenant) => getSettings(tenant, KEY, DEFAULT_AUDIENCE);

export async function putAudienceSettings(tenant: Tenant, patch: Partial<AudienceSettings>) {
  const next = { ...(await getAudienceSettings(tenant)), ...patch };
  await putSettings(tenant, KEY, next);
  return next;
}
