/**
 * The ports the engine runs against (runner.ts): the SequenceDO implements them on D1, the queues
 * and its SQLite storage (d1-ports.ts); the simulator in memory (simulate.ts).
 */
import type { LedgerState } from "../../ledger/settle";
import type { ContactFacts, ScenarioSettings } from "../types";
import type { SequenceState, StepRun } from "./state";

/** Ledger reasons the engine itself writes when it withdraws a row nobody claimed yet. */
export const WITHDRAWN_PAUSED = "scenario_paused";
export const WITHDRAWN_STOPPED = "scenario_stopped";

export interface ClaimRequest {
  scenario_id: string;
  contact_id: string;
  commit_at: number;
  prev_commit_at: number | null;
  cooldown_ms: number;
  daily_cap: number | null;
  day: string;
  prev_last_sent_at: number | null;
  /** The suppression key the sequence holds (the fast path's SQL checks it). */
  email_hash: string | null;
}
export type ClaimResult =
  | { ok: true }
  | { ok: false; reason: "cooldown"; until: number }
  | { ok: false; reason: "cap" };

export interface CommitRequest {
  state: SequenceState;
  run: StepRun;
  template_id: string;
  variant_id: string;
  step_id: string;
}

export interface EngineContext {
  settings: ScenarioSettings | null;
  contact: ContactFacts | null;
}

export interface EnginePorts {
  now(): number;
  /** Synchronous write of the state (DO SQLite); must happen before any await that acts on it. */
  persist(state: SequenceState): void;
  loadContext(state: SequenceState): Promise<EngineContext>;
  /** Atomically claim the cross-scenario cooldown and a slot of the scenario's daily cap. */
  claim(req: ClaimRequest): Promise<ClaimResult>;
  /**
   * Optional fast path: read the context and take the claim in one round trip. The claim's SQL
   * itself requires the scenario active, the contact subscribed and the cached suppression key
   * absent; `cap_taken` says whether a cap slot is held (to give back with releaseClaim).
   */
  loadAndClaim?(
    state: SequenceState,
    req: ClaimRequest,
  ): Promise<{ ctx: EngineContext; claim: ClaimResult; cap_taken: boolean }>;
  /** Give back a claim that turned out not to apply (the stamp, and the cap slot if taken). */
  releaseClaim?(req: ClaimRequest, capTaken: boolean): Promise<void>;
  /** Idempotent ledger insert + SEND enqueue. */
  commitSend(req: CommitRequest): Promise<{ ledger_id: string } & LedgerState>;
  /**
   * Withdraw the run's ledger row if still pending (-> skipped with reason); answers its state
   * either way, or null when there is no row. Finds the row by id, else by its idempotency key.
   */
  settleLedger(state: SequenceState, run: StepRun, reason: string): Promise<LedgerState | null>;
  ledgerState(ledgerId: string): Promise<LedgerState | null>;
  /** The step's decided A/B winner (a variant name), if any; optional (simulation has none). */
  winnerOf?(stepId: string): Promise<string | null>;
  /** A flow's condition or goal: whether the contact matches segment criteria now. */
  evaluate?(state: SequenceState, criteria: Record<string, unknown>): Promise<boolean>;
  /** A contact field or `attributes.<key>` (a wait until a date attribute). */
  contactValue?(state: SequenceState, attribute: string): Promise<string | number | null>;
  /**
   * Run `fn` with the usage it causes counted under `label` (the bench's rows per node type);
   * optional: absent, `fn` just runs.
   */
  measure?<T>(label: string, fn: () => Promise<T>): Promise<T>;
  /** Apply a flow's action (or SMS) node for the contact, once per (run, node); absent in a simulation. */
  runAction?(
    state: SequenceState,
    nodeId: string,
    action: { type: string; config: Record<string, unknown> },
  ): Promise<{ status: "executed" | "skipped" | "failed" | "retry"; reason?: string; detail?: string }>;
}
