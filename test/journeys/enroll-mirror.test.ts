import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { readUsage, resetUsage } from "../../src/lib/metering";
import { setTestSeams } from "../../src/lib/seams";
import { tenantScope } from "../../src/lib/tenant";
import { suppress } from "../../src/services/suppressions/store";
import { json } from "../helpers/api";
import { db } from "../helpers/events";
import { flow, putFlow, runsOf, stateOf } from "../helpers/journey";
import {
  createContact,
  createScenario,
  drainEnroll,
  drainSend,
  enrollRound,
  type Fixture,
  fixture,
  sentMessages,
  transition,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.parse("2031-01-06T10:00:00Z");
const N = 12;

/** A segment-entered journey on attributes.list = `list`, its flow `nodes`, started. */
async function segmentJourney(f: Fixture, list: string, nodes: unknown[]) {
  const seg = await json<{ id: string }>("/api/v1/segments", {
    key: f.org.key,
    body: {
      name: list,
      type: "dynamic",
      criteria: { logic: "and", conditions: [{ field: "attributes.list", operator: "eq", value: list }] },
    },
    expect: 201,
  });
  const s = await createScenario(f);
  await putFlow(f, s.id, flow(nodes, { entry: { type: "segment", segment_id: seg.id } }));
  return s.id;
}

async function rowsOf(scenarioId: string) {
  const res = await env.DB.prepare(
    "SELECT contact_id, status, node_id, path, revision, stop_reason FROM contact_sequences WHERE scenario_id = ? ORDER BY contact_id",
  )
    .bind(scenarioId)
    .all<{
      contact_id: string;
      status: string;
      node_id: string | null;
      path: string | null;
      revision: number;
    }>();
  return res.results;
}

/** D1 rows the ENROLL consumer (scan and activation) and the objects it calls write while `fn` runs. */
async function written(fn: () => Promise<unknown>): Promise<number> {
  setTestSeams({ sendQueue: q.send, enrollQueue: q.enroll, meter: true });
  resetUsage();
  await fn();
  const n = readUsage().d1RowsWritten;
  setTestSeams({ sendQueue: q.send, enrollQueue: q.enroll });
  return n;
}

describe("a journey that starts at an email: the enrollment writes the row its first walk leaves", () => {
  it("the object's enroll mirrors nothing; the row shows the email until the send's result ends the run", async () => {
    setClock(T0);
    const f = await fixture(1);
    const [tpl] = f.templates as [string];
    const ids: string[] = [];
    for (let i = 0; i < N; i++)
      ids.push((await createContact(f, { email: `m${i}@example.com`, attributes: { list: "news" } })).id);
    // One contact is suppressed after it matched: its run ends at the gate (exited), and its row says so.
    const blocked = ids[N - 1] as string;
    const id = await segmentJourney(f, "news", [
      { id: "welcome", type: "email", template_id: tpl, next: "end" },
      { id: "end", type: "exit" },
    ]);
    await transition(f, id, "start");
    // The scan only (one round of the consumer): the rows are written with the journey's first email.
    expect(await written(() => enrollRound(q))).toBeLessThanOrEqual(N + 1);
    const before = await rowsOf(id);
    const path = JSON.stringify({ p: [], w: ["welcome"] });
    expect(before.map((r) => [r.status, r.node_id, r.path])).toEqual(
      Array(N).fill(["active", "welcome", path]),
    );
    await suppress(tenantScope(db, f.org.id), `m${N - 1}@example.com`, "manual");

    // The activation: each object commits its send (cooldown stamp, ledger row and key) and writes
    // no contact_sequences row; the blocked contact's run ends, and its row says so.
    const activation = await written(() => drainEnroll(q));
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(N);
    for (const r of rows.filter((x) => x.contact_id !== blocked))
      expect(r).toMatchObject({ status: "active", node_id: "welcome", path, revision: 0 });
    expect(rows.find((r) => r.contact_id === blocked)).toMatchObject({
      status: "exited",
      stop_reason: "suppressed",
    });
    expect(rows.find((r) => r.contact_id === blocked)?.revision).toBeGreaterThan(0);
    // 3 rows per sent contact (the contact's stamp, the ledger row, its key) and the blocked one's row.
    expect(activation).toBeLessThanOrEqual(3 * (N - 1) + 1);
    expect((await stateOf(id, ids[0] as string))?.runs[0]?.status).toBe("sending");
    const listed = await runsOf(f, id, "?status=active");
    expect(listed.items.map((r) => r.node_id)).toEqual(Array(N - 1).fill("welcome"));

    // The sends go out; each result ends its run, and that is mirrored.
    expect(await drainSend(q)).toBe(N - 1);
    expect((await sentMessages(id)).length).toBe(N - 1);
    const done = await rowsOf(id);
    for (const r of done.filter((x) => x.contact_id !== blocked))
      expect(r).toMatchObject({ status: "completed", node_id: "end" });
    expect(done.every((r) => r.revision > 0)).toBe(true);
  });

  it("a journey that starts at a wait writes no node at enrollment (its walk is not known in advance)", async () => {
    setClock(T0);
    const f = await fixture(1);
    const [tpl] = f.templates as [string];
    const c = await createContact(f, { email: "w@example.com", attributes: { list: "later" } });
    const id = await segmentJourney(f, "later", [
      { id: "pause", type: "wait", days: 1, next: "hello" },
      { id: "hello", type: "email", template_id: tpl },
    ]);
    await transition(f, id, "start");
    await drainEnroll(q);
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ contact_id: c.id, status: "active", node_id: null, path: null });
  });
});
