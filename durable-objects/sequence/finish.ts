import { now } from "../../src/lib/clock";
import type { Tenant } from "../../src/lib/tenant";
import { type MirrorWrite, mirrorWrite, syncSequenceRow } from "../../src/services/scenarios/engine/mirror";
import { nextWake, rowView, syncKey } from "../../src/services/scenarios/engine/progress";
import type { SequenceState } from "../../src/services/scenarios/engine/state";
import type { SequenceStorage } from "./storage";

export interface FinishDeps {
  storage: DurableObjectStorage;
  store: SequenceStorage;
  tenant: () => Promise<Tenant>;
}

/**
 * End of a SequenceDO transition: save the state once (with what the row will show), arm the single
 * alarm at the earliest timer, then mirror the row into D1 if it changed, or answer it (`handBack`,
 * an update only) for the caller to write with others. Decisions with effects outside were saved
 * before their I/O (ports.persist); the rest of a transition is saved here, in one write.
 */
export async function finishTransition(
  d: FinishDeps,
  s: SequenceState,
  createRow = false,
  handBack = false,
): Promise<MirrorWrite | undefined> {
  const view = rowView(s);
  // A journey's node and path ride along with the row's own changes; a new run is a change.
  const key = syncKey(s);
  const create = createRow || s.row_missing === true;
  const sync = key !== s.synced || create;
  if (sync) {
    s.synced = key;
    s.row_missing = undefined;
  }
  d.store.save(s);
  const wake = nextWake(s, now());
  if (wake === null) await d.storage.deleteAlarm();
  else await d.storage.setAlarm(wake);
  if (!sync) return undefined;
  const row = mirrorWrite(s, view);
  if (handBack && !create) return row;
  try {
    await syncSequenceRow(await d.tenant(), row, create);
  } catch (e) {
    // Best effort: the next transition writes it again (and creates it, if this was to).
    console.error(`contact_sequences sync failed for ${s.sequence_id}`, e instanceof Error ? e.message : e);
    s.synced = null;
    if (create) s.row_missing = true;
    d.store.save(s);
  }
  return undefined;
}
