import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { meteredEnv, meterQueueBatch, readStatements, readUsage, resetUsage } from "../../src/lib/metering";
import { ADMIN_TOKEN, json } from "../helpers/api";

describe("usage metering (benchmarks)", () => {
  afterEach(() => resetUsage());

  it("the metrics routes answer 404 when METERING is off, 401 without the operator token", async () => {
    const get = await json("/api/v1/admin/metrics", { key: ADMIN_TOKEN, expect: 404 });
    expect(get.error.code).toBe("NOT_FOUND");
    await json("/api/v1/admin/metrics/reset", { key: ADMIN_TOKEN, method: "POST", expect: 404 });
    await json("/api/v1/admin/metrics", { expect: 401 });
  });

  it("off, the env is returned as is", () => {
    expect(meteredEnv(env)).toBe(env);
  });

  it("on, D1 rows are counted once (a metered env is not wrapped again) and raw() keeps duplicate column names", async () => {
    const on = meteredEnv({ ...env, METERING: "on" });
    expect(meteredEnv(on)).toBe(on);
    await on.DB.prepare("CREATE TABLE IF NOT EXISTS meter_a (id TEXT PRIMARY KEY, v INTEGER)").run();
    await on.DB.prepare("CREATE TABLE IF NOT EXISTS meter_b (id TEXT PRIMARY KEY, a_id TEXT)").run();
    resetUsage();
    const twice = meteredEnv({ ...on, METERING: "on" });
    await twice.DB.prepare("INSERT INTO meter_a (id, v) VALUES (?, ?)").bind("a1", 1).run();
    await on.DB.batch([on.DB.prepare("INSERT INTO meter_b (id, a_id) VALUES ('b1', 'a1')")]);
    const written = readUsage().d1RowsWritten;
    expect(written).toBeGreaterThanOrEqual(2);
    const rows = await on.DB.prepare(
      "SELECT meter_a.id, meter_b.id, meter_a.v FROM meter_a JOIN meter_b ON meter_b.a_id = meter_a.id",
    ).raw({
      columnNames: true,
    });
    expect(rows).toEqual([
      ["id", "id", "v"],
      ["a1", "b1", 1],
    ]);
    const usage = readUsage();
    expect(usage.d1Queries).toBe(3);
    expect(usage.d1RowsRead).toBeGreaterThan(0);
    expect(usage.d1RowsWritten).toBe(written);
    const bySql = readStatements().find((x) => x.sql === "INSERT INTO meter_a (id, v) VALUES (?, ?)");
    expect(bySql).toMatchObject({ queries: 1 });
    expect(bySql?.rowsWritten).toBeGreaterThan(0);
  });
});

describe("queue metering", () => {
  afterEach(() => resetUsage());

  it("a metered queue binding still answers metrics() (the activation reads the SEND backlog)", async () => {
    const on = meteredEnv({ ...env, METERING: "on" });
    expect(on.SEND_QUEUE).not.toBe(env.SEND_QUEUE);
    const m = await on.SEND_QUEUE.metrics();
    expect(typeof m.backlogCount).toBe("number");
  });

  const batchOf = (n: number) => {
    const settled: string[] = [];
    const messages = Array.from({ length: n }, (_, i) => ({
      id: `m${i}`,
      body: i,
      attempts: 1,
      timestamp: new Date(),
      ack: () => settled.push(`ack:m${i}`),
      retry: () => settled.push(`retry:m${i}`),
    }));
    const batch = {
      queue: "edge-mail-send",
      messages,
      ackAll: () => settled.push("ackAll"),
      retryAll: () => settled.push("retryAll"),
    } as unknown as MessageBatch<number>;
    return { batch, settled };
  };

  it("counts a read per delivery, a delete per ack and a retry per retry; the calls pass through", async () => {
    const { batch, settled } = batchOf(4);
    await meterQueueBatch({ METERING: "on" }, batch, async (b) => {
      b.messages[0]?.ack();
      b.messages[1]?.retry({ delaySeconds: 5 });
      b.retryAll();
    });
    expect(settled).toEqual(["ack:m0", "retry:m1", "retryAll"]);
    expect(readUsage()).toMatchObject({ workerRequests: 1, queueReads: 4, queueDeletes: 1, queueRetries: 3 });
  });

  it("a handler that returns acks the rest; one that throws retries the rest", async () => {
    const ok = batchOf(3);
    await meterQueueBatch({ METERING: "on" }, ok.batch, async (b) => {
      b.messages[0]?.retry();
    });
    expect(readUsage()).toMatchObject({ queueReads: 3, queueDeletes: 2, queueRetries: 1 });
    resetUsage();
    const bad = batchOf(2);
    await expect(
      meterQueueBatch({ METERING: "on" }, bad.batch, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(readUsage()).toMatchObject({ queueReads: 2, queueDeletes: 0, queueRetries: 2 });
  });
});
