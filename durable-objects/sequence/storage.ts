import type { SequenceState } from "../../src/services/scenarios/engine/state";

/** How many applied event ids a sequence remembers (a journey sees a handful of events). */
const SEEN_LIMIT = 200;

interface Stored {
  state: SequenceState;
  /** Ids of the events already applied, oldest first. */
  seen: string[];
}

/** Rows read / written, for the benchmarks' metering (a no-op unless metering is on). */
export type StorageMeter = (rowsRead: number, rowsWritten: number) => void;

/**
 * The SequenceDO's storage: one key in the object's synchronous KV store (SQLite-backed, so one
 * put is one row written and no table has to be created first) holding the journey state and
 * the ids of the events already applied. Every call is synchronous, so a decision is on disk
 * before the next `await` lets another request in. A save that changes nothing writes nothing.
 */
export class SequenceStorage {
  private seenIds: string[] = [];
  /** The stored text of what was last loaded or saved, revision aside, to skip identical writes. */
  private last: string | null = null;
  /** The first layout's tables were looked for and are not there (looked for once per object). */
  private noLegacy = false;

  constructor(
    private readonly kv: SyncKvStorage,
    private readonly meter: StorageMeter = () => undefined,
    /** The object's SQL handle, read once for state written by the earlier table-based layout. */
    private readonly legacy?: SqlStorage,
  ) {}

  load(): SequenceState | null {
    const raw = this.kv.get<string>("s") ?? this.legacyState();
    this.meter(1, 0);
    if (raw === undefined) {
      this.seenIds = [];
      this.last = null;
      return null;
    }
    const stored = JSON.parse(raw) as Stored;
    this.seenIds = stored.seen;
    // Text in the stored form compares as it is; state kept in an older form is serialized here.
    this.last = afterRevision(raw) ?? restOf(stored.state, stored.seen);
    return stored.state;
  }

  /** State kept by the first layout (a `state` table and a `seen_events` table), if any. */
  private legacyState(): string | undefined {
    const sql = this.legacy;
    if (!sql || this.noLegacy) return undefined;
    const tables = sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('state', 'seen_events')",
      )
      .toArray()
      .map((r) => r.name);
    if (!tables.includes("state")) {
      this.noLegacy = true;
      return undefined;
    }
    const row = sql.exec<{ v: string }>("SELECT v FROM state WHERE k = 'state'").toArray()[0];
    if (!row) return undefined;
    const seen = tables.includes("seen_events")
      ? sql
          .exec<{ id: string }>("SELECT id FROM seen_events")
          .toArray()
          .map((r) => r.id)
      : [];
    return JSON.stringify({ state: JSON.parse(row.v), seen: seen.slice(-SEEN_LIMIT) } satisfies Stored);
  }

  /** Write the state with its revision bumped (contact_sequences mirrors the revision). */
  save(state: SequenceState): void {
    const rest = restOf(state, this.seenIds);
    if (rest === this.last) return;
    state.rev++;
    this.kv.put("s", `${HEAD}${state.rev}${rest}`);
    this.meter(0, 1);
    this.last = rest;
  }

  seen(eventId: string): boolean {
    return this.seenIds.includes(eventId);
  }

  /** Remember an applied event; written with the next save of the state. */
  markSeen(eventId: string): void {
    if (this.seenIds.includes(eventId)) return;
    this.seenIds = [...this.seenIds, eventId].slice(-SEEN_LIMIT);
  }
}

/**
 * The stored text is `{"state":{"rev":N,...},"seen":[...]}`: the revision first, so what follows it
 * (`rest`) is the state without its revision, serialized once per save and compared as text.
 */
const HEAD = '{"state":{"rev":';

export function restOf(state: SequenceState, seen: string[]): string {
  const { rev: _rev, ...others } = state;
  const body = JSON.stringify(others);
  return `${body === "{}" ? "}" : `,${body.slice(1)}`},"seen":${JSON.stringify(seen)}}`;
}

/** What follows the revision in a text `save` wrote, or null for a text in another form. */
export function afterRevision(raw: string): string | null {
  if (!raw.startsWith(HEAD)) return null;
  let i = HEAD.length;
  while (i < raw.length && raw.charCodeAt(i) >= 48 && raw.charCodeAt(i) <= 57) i++;
  return i > HEAD.length ? raw.slice(i) : null;
}
