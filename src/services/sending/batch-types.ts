import type { OutboundEmail, ProviderName, SendResult } from "../../providers/types";
import type { LedgerRow } from "../ledger/types";
import type { SendJob } from "./load";
import type { NotifySequence } from "./notify";
import type { Pacer, Sleep } from "./pacing";
import type { Outcome } from "./record";
import type { RenderBudget } from "./fairness";
import type { Tenant } from "../../lib/tenant";

/** The SEND batch's types (batch.ts runs it, batch-send.ts calls the providers). */
export interface BatchDeps {
  pacer: Pacer;
  sleep: Sleep;
  /** Per provider call; a call that takes longer is aborted and retried. */
  timeoutMs: number;
  notify: NotifySequence;
  /** How long a batch waits in the consumer for an account's send slots; later slots are retried. */
  maxPaceWaitMs: number;
  budget: RenderBudget;
}

/** One organization's part of a batch, from claim to record. */
export interface Group {
  tenant: Tenant;
  ledgerIds: string[];
  claimed: LedgerRow[];
  jobs: SendJob[];
  outcomes: Outcome[];
  retries: { id: string; reason: string; afterSeconds?: number; backoff: boolean }[];
}

export interface Sent {
  job: SendJob;
  email: OutboundEmail;
  provider: ProviderName;
  result: SendResult;
}
