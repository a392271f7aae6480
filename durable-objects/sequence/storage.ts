import type { SequenceState } from "../../src/services/scenarios/engine/state";

/**
 * The SequenceDO's SQLite storage: one row holding the journey state (a few steps: small), and the
 * ids of the events already applied. All calls are synchronous, so a decision is on disk before
 * the next `await` lets another request in.
 */
export class SequenceStorage {
  constructor(private readonly sql: SqlStorage) {
    sql.exec("CREATE TABLE IF NOT EXISTS state (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
    sql.exec("CREATE TABLE IF NOT EXISTS seen_events (id TEXT PRIMARY KEY)");
  }

  load(): SequenceState | null {
    const row = this.sql.exec<{ v: string }>("SELECT v FROM state WHERE k = 'state'").toArray()[0];
    return row ? (JSON.parse(row.v) as SequenceState) : null;
  }

  /** Write the state with its revision bumped (contact_sequences mirrors the revision). */
  save(state: SequenceState): void {
    state.rev++;
    // An upsert rewrites the row in place: 1 row written (REPLACE deletes and reinserts: 2).
    this.sql.exec(
      "INSERT INTO state (k, v) VALUES ('state', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
      JSON.stringify(state),
    );
  }

  seen(eventId: string): boolean {
    return this.sql.exec("SELECT 1 FROM seen_events WHERE id = ?", eventId).toArray().length > 0;
  }

  markSeen(eventId: string): void {
    this.sql.exec("INSERT OR IGNORE INTO seen_events (id) VALUES (?)", eventId);
  }
}
