import type { Tenant } from "../../lib/tenant";
import { getSettings, putSettings } from "../organizations";

/** Reply handling of an organization (GET|PUT /api/v1/settings/replies). */
export interface ReplySettings {
  /**
   * The domain whose mail Cloudflare Email Routing hands to this Worker (README, Replies). With it,
   * every message carries `Reply-To: reply+<token>@<inbound_domain>`; without it, replies go
   * wherever the message's own Reply-To (or From) says and are not recorded.
   */
  inbound_domain: string | null;
  /** Where replies are forwarded; else the scenario's or campaign's reply_to, else its from_email. */
  forward_to: string | null;
}

export const DEFAULT_REPLIES: ReplySettings = { inbound_domain: null, forward_to: null };
const KEY = "replies";

export const getReplySettings = (tenant: Tenant) => getSettings(tenant, KEY, DEFAULT_REPLIES);

export async function putReplySettings(tenant: Tenant, patch: Partial<ReplySettings>) {
  const next = { ...(await getReplySettings(tenant)), ...patch };
  if (next.inbound_domain) next.inbound_domain = next.inbound_domain.toLowerCase();
  await putSettings(tenant, KEY, next);
  return next;
}
