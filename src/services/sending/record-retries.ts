import { now } from "../../lib/clock";
import type { Tenant } from "../../lib/tenant";
import { type Outcome, recordOutcomes } from "./record";
import type { LedgerRow } from "../ledger/types";

/**
 * The providers have the messages: recording must not give the claims back. Retry the D1 batch a
 * few times; if D1 stays down the rows stay "sending" under their lease, and the log names them.
 */
export async function recordWithRetries(tenant: Tenant, outcomes: Outcome[], claimed: LedgerRow[]) {
  const campaigns = new Map(claimed.map((r) => [r.id, r.campaignId]));
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await recordOutcomes(tenant, outcomes, now(), (id) => campaigns.get(id) ?? null);
      return;
    } catch (e) {
      if (attempt === 3) {
        const sent = outcomes.flatMap((o) =>
          o.kind === "sent" ? [`${o.job.ledger.id}=${o.externalId}`] : [],
        );
        console.error(
          `SEND: could not record ${outcomes.length} outcome(s); sent: ${sent.join(", ")}`,
          e instanceof Error ? e.message : e,
        );
      }
    }
  }
}
