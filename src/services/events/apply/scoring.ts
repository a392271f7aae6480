import type { NormalizedEvent } from "../../../contracts/events";
import type { Tenant } from "../../../lib/tenant";
import { getSettings, putSettings } from "../../organizations/store";

/** Engagement scoring of an organization (org settings key "scoring"; GET|PUT /api/v1/settings/scoring). */
export interface ScoringSettings {
  first_open: number;
  later_open: number;
  first_click: number;
  later_click: number;
  bounce: number;
  /** Points for a reply (each message's first; automatic replies earn nothing). */
  reply: number;
  /** Points taken from every positive score each week. */
  weekly_decay: number;
  /** Default threshold of GET /api/v1/leads/hot. */
  hot_threshold: number;
}

export const DEFAULT_SCORING: ScoringSettings = {
  first_open: 3,
  later_open: 1,
  first_click: 8,
  later_click: 2,
  bounce: -10,
  reply: 10,
  weekly_decay: 1,
  hot_threshold: 15,
};

const SETTINGS_KEY = "scoring";

export const getScoring = (tenant: Tenant) =>
  getSettings<ScoringSettings>(tenant, SETTINGS_KEY, DEFAULT_SCORING);

export async function putScoring(tenant: Tenant, patch: Partial<ScoringSettings>): Promise<ScoringSettings> {
  const next = { ...(await getScoring(tenant)), ...patch };
  await putSettings(tenant, SETTINGS_KEY, next);
  return next;
}

/** Score causes recorded in score_history. */
export type ScoreCause = "first_open" | "open" | "first_click" | "click" | "bounce" | "reply" | "decay";

/**
 * The score change an email event earns. `first` says whether it is the message's first human open
 * (or click). Machine events earn nothing; a Transient bounce is not a bounce of the address.
 */
export function scoreRule(
  event: Pick<NormalizedEvent, "type" | "machine" | "bounce_type">,
  first: boolean,
  s: ScoringSettings,
): { delta: number; cause: ScoreCause } | null {
  if (event.machine) return null;
  switch (event.type) {
    case "opened":
      return first ? { delta: s.first_open, cause: "first_open" } : { delta: s.later_open, cause: "open" };
    case "clicked":
      return first
        ? { delta: s.first_click, cause: "first_click" }
        : { delta: s.later_click, cause: "click" };
    case "bounced":
      return event.bounce_type === "Transient" ? null : { delta: s.bounce, cause: "bounce" };
    case "replied":
      return first ? { delta: s.reply, cause: "reply" } : null;
    default:
      return null;
  }
}

/** Scores never go below 0. */
export const applyDelta = (score: number, delta: number) => Math.max(0, score + delta);
