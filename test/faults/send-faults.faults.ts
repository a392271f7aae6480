/**
 * 10,000 campaign sends through the real SEND consumer while the provider fails 30% of its calls
 * (429, 5xx, no answer, dropped connection) and the queue redelivers, duplicates and reorders.
 * Nothing may be lost or sent twice: every ledger row ends executed, skipped or failed with a
 * reason, and every executed row had exactly one accepted provider call.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createSendConsumer } from "../../queues/send";
import { createSendDlqConsumer } from "../../queues/send-dlq";
import { resetClock, setClock } from "../../src/lib/clock";
import { json } from "../helpers/api";
import { useNetwork } from "../helpers/network";
import { drainEnroll, fixture, importContacts, useScenarioQueues } from "../helpers/scenario";
import { configureSes } from "../helpers/sending";
import { faultySes, runSendQueue } from "./harness";

useNetwork();
const q = useScenarioQueues();
const N = Number(process.env.FAULT_SENDS ?? 10_000);

describe("fault injection: sends", () => {
  it(`${N} sends, 30% provider faults, redelivery and duplicates: none lost, none twice`, async () => {
    setClock(Date.UTC(2026, 11, 1, 9, 0, 0));
    const f = await fixture(1);
    await configureSes(f.org, { max_send_rate: 10_000 });
    await importContacts(f, N, (i) => `r${i}@faults.example,R${i}`);
    const seg = await json("/api/v1/segments", {
      key: f.org.key,
      body: {
        name: "all",
        type: "dynamic",
        criteria: {
          logic: "and",
          conditions: [{ field: "email", operator: "contains", value: "@faults.example" }],
        },
      },
      expect: 201,
    });
    const campaign = await json("/api/v1/campaigns", {
      key: f.org.key,
      body: {
        name: "faults",
        provider: "ses",
        from_email: "news@sender.example",
        template_id: f.templates[0],
        segment_ids: [seg.id],
      },
      expect: 201,
    });
    await json(`/api/v1/campaigns/${campaign.id}/send`, { key: f.org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    const bodies = q.send.take().map((m) => m.body);
    expect(bodies).toHaveLength(N);

    const provider = faultySes(17, 0.3, 400);
    const started = Date.now();
    const queue = await runSendQueue(bodies, {
      consumer: createSendConsumer({ sleep: async () => undefined, timeoutMs: 150 }),
      dlq: createSendDlqConsumer(),
      seed: 42,
      redeliverShare: 0.1,
      duplicateShare: 0.05,
    });
    const seconds = (Date.now() - started) / 1000;

    const rows = (
      await env.DB.prepare(
        "SELECT id, status, reason FROM operation_ledger WHERE organization_id = ?1 AND campaign_id = ?2",
      )
        .bind(f.org.id, campaign.id)
        .all<{ id: string; status: string; reason: string | null }>()
    ).results;
    const byStatus = rows.reduce<Record<string, number>>(
      (n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }),
      {},
    );
    const messageIds = new Set(
      (
        await env.DB.prepare("SELECT id FROM messages WHERE organization_id = ?1 AND campaign_id = ?2")
          .bind(f.org.id, campaign.id)
          .all<{ id: string }>()
      ).results.map((m) => m.id),
    );
    const executed = rows.filter((r) => r.status === "executed");
    const lost = executed.filter(
      (r) => provider.acceptedByMessage.get(`msg_${r.id.replace(/^op_/, "")}`) !== 1,
    );
    const duplicates = [...provider.acceptedByMessage.values()].filter((n) => n > 1).length;
    const unfinished = rows.filter((r) => !["executed", "skipped", "failed"].includes(r.status));
    const failedWithoutReason = rows.filter((r) => r.status !== "executed" && !r.reason);
    const acceptedNotExecuted = [...provider.acceptedByMessage.keys()].filter(
      (id) => !executed.some((r) => `msg_${r.id.replace(/^op_/, "")}` === id),
    );
    console.log(
      [
        `fault suite, sends: ${N} sends in ${seconds.toFixed(1)} s`,
        `  provider: ${provider.calls} calls, ${provider.accepted} accepted, faults ${JSON.stringify(provider.faults)}`,
        `  queue: ${queue.deliveries} deliveries in ${queue.batches} batches, ${queue.retries} retries, ${queue.redelivered} redelivered after ack, ${queue.duplicated} duplicated, ${queue.deadLettered} dead-lettered`,
        `  ledger: ${JSON.stringify(byStatus)}; messages recorded ${messageIds.size}`,
        `  emails lost ${lost.length + acceptedNotExecuted.length}, duplicate provider calls ${duplicates}, unfinished rows ${unfinished.length}, final rows without a reason ${failedWithoutReason.length}`,
      ].join("\n"),
    );
    expect(rows).toHaveLength(N);
    expect(unfinished).toEqual([]);
    expect(lost).toEqual([]);
    expect(acceptedNotExecuted).toEqual([]);
    expect(duplicates).toBe(0);
    expect(failedWithoutReason).toEqual([]);
    expect(messageIds.size).toBe(executed.length);
    // the faults really happened
    expect(provider.calls - provider.accepted).toBeGreaterThan(N * 0.3 * 0.9);
    expect(queue.redelivered + queue.duplicated).toBeGreaterThan(N * 0.1);
    resetClock();
  }, 1_800_000);
});
