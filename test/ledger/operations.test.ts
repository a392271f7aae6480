/** GET /api/v1/operations and GET /api/v1/event-log: why an email did not go out, what came in. */
import { describe, expect, it } from "vitest";
import { call, createOrg, json } from "../helpers/api";
import {
  drainSend,
  entry,
  fireAlarms,
  fixture,
  runningScenario,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();

describe("operations and event log", () => {
  it("lists ledger rows with status and reason, filtered and paged; another organization sees none", async () => {
    const f = await fixture(1);
    const s = await runningScenario(f, q, {
      steps: [entry(f.templates[0] as string)],
      contacts: [{ email: "a@ops.example" }, { email: "b@ops.example" }, { email: "c@ops.example" }],
    });
    // c@ unsubscribes before its send.
    await json(`/api/v1/contacts/${s.contactIds[2]}`, {
      key: f.org.key,
      method: "PATCH",
      body: { status: "unsubscribed" },
      expect: 200,
    });
    for (let i = 0; i < 10; i++) {
      await fireAlarms(s.scenarioId, s.contactIds);
      await drainSend(q);
      const all = await json(`/api/v1/operations?scenario_id=${s.scenarioId}`, { key: f.org.key });
      if (all.items.filter((o: { status: string }) => o.status !== "pending").length >= 2) break;
    }
    const executed = await json(`/api/v1/operations?scenario_id=${s.scenarioId}&status=executed&limit=1`, {
      key: f.org.key,
      expect: 200,
    });
    expect(executed.items).toHaveLength(1);
    expect(executed.items[0]).toMatchObject({ status: "executed", reason: null, scenario_id: s.scenarioId });
    expect(executed.next_cursor).not.toBeNull();
    const next = await json(
      `/api/v1/operations?scenario_id=${s.scenarioId}&status=executed&limit=1&cursor=${executed.next_cursor}`,
      {
        key: f.org.key,
      },
    );
    expect(next.items).toHaveLength(1);
    expect(next.items[0].id).not.toBe(executed.items[0].id);
    const forC = await json(`/api/v1/operations?contact_id=${s.contactIds[2]}`, { key: f.org.key });
    if (forC.items.length)
      expect(forC.items[0]).toMatchObject({ status: "skipped", reason: "contact is unsubscribed" });
    const other = await createOrg();
    expect((await json(`/api/v1/operations?scenario_id=${s.scenarioId}`, { key: other.key })).items).toEqual(
      [],
    );
    expect((await call("/api/v1/operations?status=lost", { key: f.org.key })).status).toBe(400);
  });

  it("lists stored events by type, contact and time, and exports them as CSV", async () => {
    const f = await fixture(0);
    const contact = await json<{ id: string }>("/api/v1/contacts", {
      key: f.org.key,
      body: { email: "v@ops.example" },
      expect: 201,
    });
    for (const [type, at] of [
      ["page_visit", "2026-11-01T10:00:00Z"],
      ["page_visit", "2026-11-02T10:00:00Z"],
      ["custom", "2026-11-03T10:00:00Z"],
    ] as const)
      await json("/api/v1/events", {
        key: f.org.key,
        body: {
          type,
          contact_id: contact.id,
          occurred_at: at,
          properties: { url: "https://shop.example/=cmd" },
        },
        expect: 202,
      });
    const visits = await json(`/api/v1/event-log?type=page_visit&contact_id=${contact.id}`, {
      key: f.org.key,
      expect: 200,
    });
    expect(visits.items.map((e: { occurred_at: string }) => e.occurred_at)).toEqual([
      "2026-11-02T10:00:00.000Z",
      "2026-11-01T10:00:00.000Z",
    ]);
    expect(visits.items[0]).toMatchObject({ source: "api", type: "page_visit", contact_id: contact.id });
    const since = await json(`/api/v1/event-log?since=2026-11-02T00:00:00Z&until=2026-11-02T23:59:59Z`, {
      key: f.org.key,
    });
    expect(since.items).toHaveLength(1);
    const csv = await call(`/api/v1/event-log?format=csv&contact_id=${contact.id}`, { key: f.org.key });
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe(
      "id,source,type,applied_as,contact_id,message_id,occurred_at,received_at,processed_at,error",
    );
    expect(lines).toHaveLength(4);
    expect((await call("/api/v1/event-log?since=yesterday", { key: f.org.key })).status).toBe(400);
  });
});
