import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { json } from "../helpers/api";
import { drainEvents } from "../helpers/events";
import { enroll, flow, startedJourney } from "../helpers/journey";
import {
  createContact,
  drainEnroll,
  drainSend,
  type Fixture,
  fireAlarms,
  fixture,
  runningScenario,
  sentMessages,
  entry,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.parse("2031-04-07T10:00:00Z");

const suppress = (f: Fixture, email: string) =>
  json("/api/v1/suppressions", { key: f.org.key, body: { emails: [email] }, expect: 200 });

const ledgerFor = async (orgId: string, contactId: string) =>
  (
    await env.DB.prepare(
      "SELECT status, reason FROM operation_ledger WHERE organization_id = ?1 AND contact_id = ?2",
    )
      .bind(orgId, contactId)
      .all<{ status: string; reason: string | null }>()
  ).results;

describe("every send path honours the one suppression list", () => {
  it("a scenario step: an address suppressed after enrollment is not sent to", async () => {
    setClock(T0);
    const f = await fixture(1);
    const { scenarioId, contactIds } = await runningScenario(f, q, {
      steps: [entry(f.templates[0] as string)],
      contacts: [{ email: "keep@example.com" }, { email: "late@example.com" }],
    });
    await suppress(f, "late@example.com");
    await fireAlarms(scenarioId, contactIds);
    await drainSend(q);
    expect((await sentMessages(scenarioId)).map((m) => m.contact_id)).toEqual([contactIds[0]]);
  });

  it("a journey: skipped at enrollment, and at send time when suppressed after it", async () => {
    setClock(T0);
    const f = await fixture(1);
    const id = await startedJourney(f, flow([{ id: "hello", type: "email", template_id: f.templates[0] }]));
    const a = (await createContact(f, { email: "a@example.com" })).id;
    const b = (await createContact(f, { email: "b@example.com" })).id;
    const c = (await createContact(f, { email: "c@example.com" })).id;
    await suppress(f, "b@example.com");
    expect((await enroll(f, id, { contact_ids: [a, b, c] })).skipped).toEqual([
      { contact_id: b, reason: "suppressed" },
    ]);
    await suppress(f, "c@example.com");
    await fireAlarms(id, [a, c]);
    await drainSend(q);
    expect((await sentMessages(id)).map((m) => m.contact_id)).toEqual([a]);
  });

  it("a campaign: the dry run counts the suppressed address out, and the send skips it", async () => {
    setClock(T0);
    const f = await fixture(1);
    await createContact(f, { email: "in@example.com" });
    const out = (await createContact(f, { email: "out@example.com" })).id;
    await suppress(f, "out@example.com");
    const seg = await json("/api/v1/segments", {
      key: f.org.key,
      body: {
        name: "All",
        type: "dynamic",
        criteria: { logic: "and", conditions: [{ field: "email", operator: "contains", value: "@" }] },
      },
      expect: 201,
    });
    const c = await json("/api/v1/campaigns", {
      key: f.org.key,
      body: {
        name: "C",
        template_id: f.templates[0],
        segment_ids: [seg.id],
        from_email: "shop@sender.example",
      },
      expect: 201,
    });
    const dry = await json(`/api/v1/campaigns/${c.id}/dry-run`, {
      key: f.org.key,
      method: "POST",
      expect: 200,
    });
    expect(dry).toMatchObject({ audience: 2, would_send: 1, excluded: { suppressed: 1 } });
    await json(`/api/v1/campaigns/${c.id}/send`, { key: f.org.key, method: "POST", expect: 200 });
    await drainEnroll(q);
    await drainSend(q);
    expect(await ledgerFor(f.org.id, out)).toEqual([]);
  });

  it("a rule's send_email: the send is skipped at send time", async () => {
    setClock(T0);
    const f = await fixture(1);
    await json("/api/v1/rules", {
      key: f.org.key,
      body: {
        name: "thanks",
        trigger: "page_visit",
        actions: [
          { type: "send_email", config: { template_id: f.templates[0], from_email: "team@shop.example" } },
        ],
      },
      expect: 201,
    });
    const c = (await createContact(f, { email: "rule@example.com" })).id;
    await json("/api/v1/events", {
      key: f.org.key,
      body: { type: "page_visit", contact_id: c, properties: { url: "https://shop.example/" } },
      expect: 202,
    });
    await drainEvents();
    await suppress(f, "rule@example.com");
    // The rule's SEND message (the EVENTS consumer used the real queue): delivered here by hand.
    const row = await env.DB.prepare(
      "SELECT id FROM operation_ledger WHERE organization_id = ?1 AND contact_id = ?2",
    )
      .bind(f.org.id, c)
      .first<{ id: string }>();
    await drainSend(q, [{ ledger_id: row?.id, organization_id: f.org.id }]);
    expect(await ledgerFor(f.org.id, c)).toEqual([
      { status: "skipped", reason: "address is on the suppression list" },
    ]);
  });

  it("POST /send: 422 SUPPRESSED, and a removed suppression lets it go", async () => {
    const f = await fixture(0);
    await suppress(f, "tx@example.com");
    const body = { to: "tx@example.com", subject: "Receipt", html: "<p>x</p>" };
    expect((await json("/api/v1/send", { key: f.org.key, body, expect: 422 })).error.code).toBe("SUPPRESSED");
    await json("/api/v1/suppressions/tx@example.com", { key: f.org.key, method: "DELETE", expect: 200 });
    await json("/api/v1/send", { key: f.org.key, body, expect: 202 });
    await drainSend(q);
    const rows = await env.DB.prepare("SELECT status FROM operation_ledger WHERE organization_id = ?1")
      .bind(f.org.id)
      .all();
    expect(rows.results).toEqual([{ status: "executed" }]);
  });
});
