/**
 * The contact_sequences mirror of a SequenceDO's state: one row per (scenario, contact), written by
 * the object when what a reader sees changes, or handed back to the SEND consumer, which writes a
 * batch's rows in one statement. An older revision never overwrites a newer one.
 */
import { now } from "../../../lib/clock";
import type { Tenant } from "../../../lib/tenant";
import { tenantSql } from "../../../lib/tenant-sql";
import { journeyView, type rowView } from "./progress";
import type { SequenceState } from "./state";

/** The row as a transition leaves it: what the UPDATE writes, keyed by scenario, contact and run id. */
export interface MirrorWrite {
  scenario_id: string;
  contact_id: string;
  id: string;
  status: string;
  current_step_order: number | null;
  next_run_at: number | null;
  stop_reason: string | null;
  revision: number;
  run_no: number;
  node_id: string | null;
  path: string | null;
  run_started_at: number | null;
  steps_version: number;
}

/** The row of `s` with `view` (rowView, taken before the save that set `s.rev`). */
export function mirrorWrite(s: SequenceState, view: ReturnType<typeof rowView>): MirrorWrite {
  const j = journeyView(s);
  return {
    scenario_id: s.scenario_id,
    contact_id: s.contact_id,
    id: s.sequence_id,
    status: view.status,
    current_step_order: view.current_step_order,
    next_run_at: view.next_run_at,
    stop_reason: view.stop_reason,
    revision: s.rev,
    run_no: s.journey?.no ?? 1,
    node_id: j.node_id,
    path: j.path,
    run_started_at: s.journey?.started_at ?? null,
    steps_version: s.steps_version,
  };
}

/**
 * Write one row (an update is the batch statement with one row). A journey's row also carries its
 * run, node and path (progress.ts journeyView). `create`: a run started by an entry or POST
 * /enroll writes its row here (the ENROLL consumer writes the rows of the segment scan itself);
 * otherwise a row that is gone (an erased contact) stays gone.
 */
export async function syncSequenceRow(tenant: Tenant, w: MirrorWrite, create = false) {
  if (!create) {
    await syncSequenceRows(tenant, [w]);
    return;
  }
  await tenantSql(
    tenant,
    `INSERT INTO contact_sequences (organization_id, status, current_step_order, next_run_at, stop_reason, revision, updated_at, created_at,
       scenario_id, contact_id, id, run_no, node_id, path, run_started_at, steps_version)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
     ON CONFLICT (scenario_id, contact_id) DO UPDATE SET id = ?10, status = ?2, current_step_order = ?3, next_run_at = ?4, stop_reason = ?5,
       revision = ?6, updated_at = ?7, run_no = ?11, node_id = ?12, path = ?13, run_started_at = ?14, steps_version = ?15
     WHERE contact_sequences.organization_id = ?1 AND contact_sequences.revision < ?6`,
    w.status,
    w.current_step_order,
    w.next_run_at,
    w.stop_reason,
    w.revision,
    now(),
    w.scenario_id,
    w.contact_id,
    w.id,
    w.run_no,
    w.node_id,
    w.path,
    w.run_started_at,
    w.steps_version,
  ).run();
}

/** Rows per statement: the rows travel as one JSON parameter (a row is about 300 bytes). */
const ROWS_PER_STATEMENT = 200;

/**
 * Write many rows of one organization, one statement per ROWS_PER_STATEMENT, with the guards of a
 * single write; answers how many rows changed. Of two writes for one row (two sends of a run in one batch) the newer one is kept:
 * an UPDATE ... FROM that matches a row twice applies one of the two, unspecified which.
 */
export async function syncSequenceRows(tenant: Tenant, all: MirrorWrite[]): Promise<number> {
  const newest = new Map<string, MirrorWrite>();
  for (const w of all) {
    const key = `${w.scenario_id}\n${w.contact_id}`;
    const known = newest.get(key);
    if (!known || known.revision < w.revision) newest.set(key, w);
  }
  const writes = [...newest.values()];
  let changed = 0;
  for (let i = 0; i < writes.length; i += ROWS_PER_STATEMENT) {
    const res = await tenantSql(
      tenant,
      `UPDATE contact_sequences AS c SET status = j.value ->> 'status', current_step_order = j.value ->> 'current_step_order',
         next_run_at = j.value ->> 'next_run_at', stop_reason = j.value ->> 'stop_reason', revision = j.value ->> 'revision',
         updated_at = ?2, run_no = j.value ->> 'run_no', node_id = j.value ->> 'node_id', path = j.value ->> 'path',
         run_started_at = j.value ->> 'run_started_at', steps_version = j.value ->> 'steps_version'
       FROM json_each(?3) AS j
       WHERE c.scenario_id = j.value ->> 'scenario_id' AND c.contact_id = j.value ->> 'contact_id' AND c.organization_id = ?1
         AND c.id = j.value ->> 'id' AND c.revision < j.value ->> 'revision'`,
      now(),
      JSON.stringify(writes.slice(i, i + ROWS_PER_STATEMENT)),
    ).run();
    changed += res.meta.changes ?? 0;
  }
  return changed;
}
