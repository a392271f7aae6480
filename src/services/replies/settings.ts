import { settingsSection } from "../organizations/store";

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
const section = settingsSection("replies", DEFAULT_REPLIES, (v) => ({
  ...v,
  inbound_domain: v.inbound_domain?.toLowerCase() ?? null,
}));
export const getReplySettings = section.get;
export const putReplySettings = section.put;
export const repliesFrom = section.from;
