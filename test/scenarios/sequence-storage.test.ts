/**
 * The SequenceDO's storage, inside a real object: one row per save that changes something, state
 * kept in older forms still read (and not rewritten while unchanged), and the first layout's
 * tables looked for once per object.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SequenceStorage } from "../../durable-objects/sequence/storage";
import type { SequenceState } from "../../src/services/scenarios/engine/state";

type Make = (sql?: SqlStorage) => SequenceStorage;

/** Run `fn` in a fresh SequenceDO, with storages over its store and a count of the rows written. */
async function inObject(fn: (ctx: DurableObjectState, make: Make, written: () => number) => void) {
  const stub = env.SEQUENCE.get(env.SEQUENCE.idFromName(`storage-test-${crypto.randomUUID()}`));
  await runInDurableObject(stub, (_instance, ctx) => {
    let rows = 0;
    const make: Make = (sql) =>
      new SequenceStorage(ctx.storage.kv, (_r, w) => (rows += w), sql ?? ctx.storage.sql);
    fn(ctx, make, () => rows);
  });
}

const stateOf = (extra: Record<string, unknown> = {}) =>
  ({
    status: "active",
    runs: [{ step_order: 1, status: "scheduled" }],
    rev: 0,
    ...extra,
  }) as unknown as SequenceState;

describe("SequenceStorage", () => {
  it("writes one row per save that changes something, and reads back what it wrote", async () => {
    await inObject((_ctx, storageOf, written) => {
      const store = storageOf();
      expect(store.load()).toBeNull();
      const s = stateOf();
      store.save(s);
      expect([written(), s.rev]).toEqual([1, 1]);
      store.save(s);
      expect([written(), s.rev]).toEqual([1, 1]);

      const again = storageOf();
      const loaded = again.load() as SequenceState;
      expect(loaded).toEqual(s);
      again.save(loaded);
      expect(written()).toBe(1);
      (loaded.runs[0] as { status: string }).status = "sending";
      again.save(loaded);
      expect([written(), loaded.rev]).toEqual([2, 2]);
      again.markSeen("ev_1");
      again.save(loaded);
      expect([written(), loaded.rev]).toEqual([3, 3]);

      const third = storageOf();
      expect(third.load()).toEqual(loaded);
      expect(third.seen("ev_1")).toBe(true);
      expect(third.seen("ev_2")).toBe(false);
    });
  });

  it("reads state stored with the revision elsewhere, and leaves it as it is until it changes", async () => {
    await inObject((ctx, storageOf, written) => {
      ctx.storage.kv.put(
        "s",
        JSON.stringify({ state: { status: "active", runs: [], rev: 4, settings: { a: 1 } }, seen: ["ev_9"] }),
      );
      const store = storageOf();
      const s = store.load() as SequenceState;
      expect(s.rev).toBe(4);
      expect(store.seen("ev_9")).toBe(true);
      store.save(s);
      expect(written()).toBe(0);
      s.status = "completed";
      store.save(s);
      expect([written(), s.rev]).toEqual([1, 5]);
      expect(ctx.storage.kv.get<string>("s")?.startsWith('{"state":{"rev":5,"status":"completed"')).toBe(
        true,
      );
      expect(storageOf().load()).toEqual(s);
    });
  });

  it("reads the first layout's tables, and looks for them once in an object that has no state", async () => {
    await inObject((ctx, storageOf, written) => {
      let lookups = 0;
      const counting = new Proxy(ctx.storage.sql, {
        get(target, prop) {
          if (prop !== "exec") return Reflect.get(target, prop);
          return (query: string, ...binds: unknown[]) => {
            if (query.includes("sqlite_master")) lookups++;
            return target.exec(query, ...binds);
          };
        },
      });
      const store = storageOf(counting);
      expect(store.load()).toBeNull();
      expect(store.load()).toBeNull();
      expect(lookups).toBe(1);

      ctx.storage.sql.exec("CREATE TABLE state (k TEXT PRIMARY KEY, v TEXT)");
      ctx.storage.sql.exec("CREATE TABLE seen_events (id TEXT PRIMARY KEY)");
      ctx.storage.sql.exec("INSERT INTO state VALUES ('state', ?)", JSON.stringify(stateOf({ rev: 7 })));
      ctx.storage.sql.exec("INSERT INTO seen_events VALUES ('ev_old')");
      const old = storageOf(counting);
      const s = old.load() as SequenceState;
      expect([s.rev, old.seen("ev_old"), lookups]).toEqual([7, true, 2]);
      old.save(s);
      expect(written()).toBe(0);
      s.status = "completed";
      old.save(s);
      expect([written(), s.rev]).toEqual([1, 8]);
      expect(storageOf(counting).load()).toEqual(s);
      expect(lookups).toBe(2);
    });
  });
});
