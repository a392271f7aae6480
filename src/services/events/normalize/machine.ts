/**
 * Machine opens and clicks (PROVIDERS.md "Opens are soft"): Apple Mail Privacy Protection and image
 * proxies fetch pixels without a human, security scanners follow links. Such events are counted
 * apart and never score or trigger opened-steps.
 */

/** Apple MPP fetches with a bare "Mozilla/5.0"; a real Apple Mail open carries the full WebKit string. */
const APPLE_MPP = /^Mozilla\/5\.0$/;

/** Image proxies (they fetch for the mailbox, not for a reader) and known link scanners. */
const MACHINE_AGENTS =
  /GoogleImageProxy|ggpht\.com|YahooMailProxy|Barracuda|Mimecast|Proofpoint|ppops|MessageLabs|Symantec|TrendMicro|Forcepoint|IronPort|Sophos|FireEye|SafeLinks|LinkScanner|bot\b|crawler|spider|python-requests|curl\/|Wget|Go-http-client|okhttp|HeadlessChrome|PhantomJS/i;

/** An open this soon after delivery is a prefetch (MPP, scanners), not a reader. */
export const MACHINE_OPEN_WINDOW_MS = 10_000;

export function isMachineUserAgent(userAgent: string | undefined): boolean {
  if (!userAgent) return false; // unknown is not evidence: providers like Brevo report no agent
  const ua = userAgent.trim();
  return APPLE_MPP.test(ua) || MACHINE_AGENTS.test(ua);
}

/**
 * Whether an open or click was made by a machine: the source says so, its agent is a proxy or a
 * scanner, or (opens from sources with true timestamps) it came within seconds of delivery.
 */
export function isMachineEvent(input: {
  type: string;
  flagged: boolean;
  userAgent?: string;
  occurredAt: number;
  deliveredAt?: number | null;
  timedOpen?: boolean;
}): boolean {
  if (input.type !== "opened" && input.type !== "clicked") return false;
  if (input.flagged || isMachineUserAgent(input.userAgent)) return true;
  if (input.type !== "opened" || !input.timedOpen || input.deliveredAt == null) return false;
  const sinceDelivery = input.occurredAt - input.deliveredAt;
  return sinceDelivery >= 0 && sinceDelivery < MACHINE_OPEN_WINDOW_MS;
}
