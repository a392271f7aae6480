import type { AutoWinner } from "../ab-winner/decide";
import type { STEP_TRIGGERS } from "../../db/schema";

export type StepTrigger = (typeof STEP_TRIGGERS)[number];

/** One A/B variant of a step (a step without variants has one, named "default"). */
export interface VariantDef {
  id: string;
  name: string;
  template_id: string;
  weight: number;
}

/** A step of one steps version: immutable once written, so a running sequence can keep it. */
export interface StepDef {
  step_id: string;
  step_order: number;
  name: string;
  trigger: StepTrigger;
  parent_step_order: number | null;
  /** Total delay after the parent's event (or after enrollment for an entry step), in minutes. */
  delay_minutes: number;
  template_id: string;
  variants: VariantDef[];
}

/** What planning and the send checks read from a scenario. */
export interface ScenarioSettings {
  id: string;
  organization_id: string;
  status: "draft" | "active" | "paused" | "stopped";
  timezone: string | null;
  send_window_start: string | null;
  send_window_end: string | null;
  send_days: string[] | null;
  daily_cap: number | null;
  cooldown_days: number | null;
  stop_on_reply: boolean;
  stop_on_unsubscribe: boolean;
}

/** What the engine reads about the contact when a step falls due. */
export interface ContactFacts {
  id: string;
  status: string;
  timezone: string | null;
  last_sent_at: number | null;
  suppressed: boolean;
  /** SHA-256 of the normalized address (how suppressions are keyed), cached by the sequence. */
  email_hash?: string;
}

export const DEFAULT_VARIANT = "default";

/** A step as PUT /scenarios/:id/steps takes it. */
export interface StepInput {
  step_order: number;
  name: string;
  trigger: StepTrigger;
  parent_step_order?: number | null;
  delay_days?: number;
  delay_hours?: number;
  delay_minutes?: number;
  template_id: string;
  variants?: { name: string; template_id: string; weight: number }[];
  auto_winner?: AutoWinner | null;
}

/**
 * What a contact_sequences row shows of its run, as read back: the activation hands it to the
 * object's enroll, which mirrors its first transition only if the row differs
 * (engine/progress.ts rowShows).
 */
export interface MirrorRow {
  status: string;
  current_step_order: number | null;
  next_run_at: number | null;
  stop_reason: string | null;
  node_id: string | null;
  path: string | null;
  run_no: number;
}

/** A contact_sequences row as enrollment writes it and activation reads it. */
export interface SequenceRow extends MirrorRow {
  id: string;
  contact_id: string;
  steps_version: number;
  created_at: number;
}
