/** Ledger reasons of sends a campaign's pause withdrew (sent again on resume) or its cancel dropped. */
export const CAMPAIGN_PAUSED = "campaign_paused";
export const CAMPAIGN_CANCELLED = "campaign_cancelled";
