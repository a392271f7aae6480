import { describe, expect, it } from "vitest";
import { sendAll } from "../../src/lib/queue";
import { activationMessages } from "../../src/services/scenarios/activation";
import type { Tenant } from "../../src/lib/tenant";

/** A Queue stand-in that refuses what Cloudflare refuses: over 100 messages or 256 KB per batch. */
function strictQueue() {
  const batches: number[] = [];
  const queue = {
    async send() {},
    async sendBatch(msgs: Iterable<MessageSendRequest>) {
      const list = [...msgs];
      const bytes = list.reduce((n, m) => n + JSON.stringify(m.body).length, 0);
      if (list.length > 100 || bytes > 256 * 1024)
        throw new Error(`batch too large: ${list.length} / ${bytes} B`);
      batches.push(list.length);
    },
  } as unknown as Queue;
  return { queue, batches };
}

describe("queue batches", () => {
  it("activation messages of a 10,000-contact enrollment page go out in batches the queue takes", async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      id: `seq_${String(i).padStart(28, "0")}`,
      contact_id: `ct_${String(i).padStart(28, "0")}`,
      steps_version: 1,
      status: "active",
      created_at: 0,
      next_run_at: Date.now() + 365 * 86_400_000,
    }));
    const messages = activationMessages({ orgId: "org_x" } as Tenant, "scn_x", rows, Date.now());
    expect(messages).toHaveLength(100);
    // 100 messages of 100 ids each: about 350 KB, more than one sendBatch may carry
    const naive = strictQueue();
    await expect(naive.queue.sendBatch(messages)).rejects.toThrow(/too large/);
    const split = strictQueue();
    await sendAll(split.queue, messages);
    expect(split.batches.reduce((a, b) => a + b, 0)).toBe(100);
    expect(split.batches.length).toBeGreaterThan(1);
  });
});
