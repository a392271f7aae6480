/**
 * The SEND consumer and the contact_sequences rows: the objects it tells of their results hand
 * their rows back, and the consumer writes a batch's rows in one statement.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { now, setClock } from "../../src/lib/clock";
import { readStatements, resetUsage } from "../../src/lib/metering";
import { setTestSeams } from "../../src/lib/seams";
import { tenantScope } from "../../src/lib/tenant";
import { type MirrorWrite, syncSequenceRows } from "../../src/services/scenarios/engine/mirror";
import { notifySequence, writeSequenceRows } from "../../src/services/sending/notify";
import { db } from "../helpers/events";
import { enroll, flow, startedJourney } from "../helpers/journey";
import {
  drainSend,
  fixture,
  importContacts,
  sentMessages,
  seqStub,
  useScenarioQueues,
} from "../helpers/scenario";
import { deliver } from "../helpers/sending";
import { createSendConsumer } from "../../queues/send";
import type { SendMessage } from "../../src/contracts/queue-messages";
import { seamed } from "../../src/lib/seams";

const q = useScenarioQueues();
const T0 = Date.parse("2031-01-06T10:00:00Z");
const N = 12;

async function rowsOf(scenarioId: string) {
  const res = await env.DB.prepare(
    "SELECT contact_id, status, node_id, revision FROM contact_sequences WHERE scenario_id = ? ORDER BY contact_id",
  )
    .bind(scenarioId)
    .all<{ contact_id: string; status: string; node_id: string | null; revision: number }>();
  return res.results;
}

/** An email -> exit journey with `n` contacts enrolled; their sends wait on the SEND queue. */
async function enrolledJourney(n: number) {
  setClock(T0);
  const f = await fixture(1);
  const [tpl] = f.templates as [string];
  const ids = await importContacts(f, n, (i) => `mirror${i}@example.com,M${i}`);
  const id = await startedJourney(
    f,
    flow([
      { id: "welcome", type: "email", template_id: tpl, next: "end" },
      { id: "end", type: "exit" },
    ]),
  );
  expect((await enroll(f, id, { contact_ids: ids })).enrolled).toBe(n);
  return { f, id, ids };
}

/** What a repeated result of this contact's send answers (the object heard it once already). */
async function repeatedResult(scenarioId: string, contactId: string) {
  const ledger = await env.DB.prepare(
    "SELECT id, step_order FROM operation_ledger WHERE scenario_id = ? AND contact_id = ?",
  )
    .bind(scenarioId, contactId)
    .first<{ id: string; step_order: number }>();
  return seqStub(scenarioId, contactId).onSendResult(
    { ledger_id: ledger?.id ?? "", step_order: ledger?.step_order ?? 0, status: "executed", at: now() },
    { hand_back_row: true },
  );
}

describe("the rows of a SEND batch's sequences", () => {
  it("are written in one statement per batch; a result heard again answers the row, which writes nothing", async () => {
    const { f, id, ids } = await enrolledJourney(N);
    setTestSeams({ sendQueue: q.send, enrollQueue: q.enroll, meter: true });
    resetUsage();
    // drainSend delivers 10 messages a batch: 2 batches.
    expect(await drainSend(q)).toBe(N);
    const writes = readStatements(500).filter((s) => s.sql.includes("contact_sequences"));
    setTestSeams({ sendQueue: q.send, enrollQueue: q.enroll });
    expect(writes.map((s) => [s.sql.slice(0, 30), s.queries, s.rowsWritten])).toEqual([
      ["UPDATE contact_sequences AS c ", 2, N],
    ]);
    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.status, r.node_id])).toEqual(Array(N).fill(["completed", "end"]));

    const first = rows.find((r) => r.contact_id === ids[0]);
    const again = await repeatedResult(id, ids[0] as string);
    expect(again.applied).toBe(false);
    expect(again.row).toMatchObject({ status: "completed", node_id: "end", revision: first?.revision });
    const stamp = () =>
      env.DB.prepare("SELECT updated_at FROM contact_sequences WHERE scenario_id = ? AND contact_id = ?")
        .bind(id, ids[0])
        .first<number>("updated_at");
    const before = await stamp();
    setClock(T0 + 60_000);
    const res = await syncSequenceRows(tenantScope(db, f.org.id), [again.row as MirrorWrite]);
    expect(res).toBe(0);
    expect(await stamp()).toBe(before);

    // Two rows for one run in a batch: the newer is written, whatever their order.
    const row = again.row as MirrorWrite;
    const newer = { ...row, revision: row.revision + 2, status: "exited", stop_reason: "test" };
    const older = { ...row, revision: row.revision + 1, status: "active" };
    expect(await syncSequenceRows(tenantScope(db, f.org.id), [newer, older])).toBe(1);
    expect((await rowsOf(id)).find((r) => r.contact_id === ids[0])).toMatchObject({
      status: "exited",
      revision: row.revision + 2,
    });
  });

  it("of a batch that died before writing them are written when its messages come again", async () => {
    const { id } = await enrolledJourney(3);
    const bodies = q.send.take().map((m) => m.body as SendMessage);
    // The first delivery sends and records; the objects hand their rows back to an invocation that
    // dies before its statement (the rows go nowhere), so it acks nothing.
    const dying = createSendConsumer({
      notify: (e, ledger, outcome) => notifySequence(e, ledger, outcome, []),
    });
    await deliver(dying, bodies, 1, seamed(env));
    expect((await rowsOf(id)).map((r) => [r.status, r.node_id])).toEqual(
      Array(3).fill(["active", "welcome"]),
    );
    // The queue delivers the messages again: no second send, and the rows are written.
    expect(await drainSend(q, bodies)).toBe(3);
    expect((await rowsOf(id)).map((r) => [r.status, r.node_id])).toEqual(Array(3).fill(["completed", "end"]));
    expect(await sentMessages(id)).toHaveLength(3);
  });

  it("that the batch cannot write are written by their objects", async () => {
    const { f, id, ids } = await enrolledJourney(2);
    await drainSend(q);
    const contactId = ids[0] as string;
    const handed = (await repeatedResult(id, contactId)).row as MirrorWrite;
    // The row as it was before the send's result (the handed-back write lost), and a database
    // that refuses the batch's statement.
    await env.DB.prepare(
      "UPDATE contact_sequences SET status = 'active', node_id = 'welcome', revision = 0 WHERE scenario_id = ? AND contact_id = ?",
    )
      .bind(id, contactId)
      .run();
    const refusing = {
      ...tenantScope(db, f.org.id),
      db: {
        $client: {
          prepare: () => {
            throw new Error("D1 is down");
          },
        },
      },
    } as unknown as ReturnType<typeof tenantScope>;
    await writeSequenceRows(env, refusing, [handed]);
    const row = (await rowsOf(id)).find((r) => r.contact_id === contactId);
    expect(row).toMatchObject({ status: "completed", node_id: "end", revision: handed.revision });
  });
});
