/**
 * Who starts a scenario's runs (scenarios.entry): the segment scan at start and new matching
 * contacts (a steps journey, or a flow with a segment entry), or an event, a date, or only
 * POST /enroll. The columns are written by flow/store.ts (PUT /flow) and reset by PUT /steps.
 */
import type { FlowEntry } from "../../../contracts/flow";
import { parseJson } from "../../../lib/json";

/** The scenario's entry; null for a steps journey (its segment, or everyone). */
export const entryOf = (row: { entry: string | null }): FlowEntry | null =>
  row.entry ? parseJson<FlowEntry | null>(row.entry, null) : null;

/** Whether the start scans the audience and new contacts that match enter (a segment entry). */
export const entersBySegment = (row: { entry: string | null }) => {
  const e = entryOf(row);
  return e === null || e.type === "segment";
};

/** SQL over `scenarios` (no alias): the scenarios contacts enter by matching their audience. */
export const SEGMENT_ENTRY_SQL = "(entry IS NULL OR entry ->> '$.type' = 'segment')";
