import { settingsSection } from "../organizations/store";

/** The deliverability guard of an organization (GET|PUT /api/v1/settings/deliverability). */
export interface DeliverabilitySettings {
  /** Pause a scenario or campaign whose bounce rate over the window passes this share (0.05 = 5%). */
  bounce_pause_rate: number;
  /** Likewise for complaints: 0.3% is the line Gmail and Yahoo hold senders to. */
  complaint_pause_rate: number;
  /** No pause before this many sends in the window: a few early bounces are not a trend. */
  min_sends: number;
  /** The rolling window, in days. */
  window_days: number;
  /** At most `max` marketing emails per contact in `per_days` days, across scenarios and campaigns. */
  frequency_cap: { max: number; per_days: number } | null;
}

export const DEFAULT_DELIVERABILITY: DeliverabilitySettings = {
  bounce_pause_rate: 0.05,
  complaint_pause_rate: 0.003,
  min_sends: 200,
  window_days: 7,
  frequency_cap: null,
};
const section = settingsSection("deliverability", DEFAULT_DELIVERABILITY);
export const getDeliverability = section.get;
export const putDeliverability = section.put;
export const deliverabilityFrom = section.from;
