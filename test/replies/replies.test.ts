/**
 * Replies through the Worker's email() handler: reply addresses on sent mail, the reply matched by
 * token or by In-Reply-To, the sequence stopped, the inbox item, the score, the forward; automatic
 * replies and delivery status notifications; forged tokens. Fixtures: test/fixtures/inbound.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setClock } from "../../src/lib/clock";
import { readInbound } from "../../src/services/replies/parse";
import { readReplyAddress, replyAddress } from "../../src/services/replies/token";
import { rawOf } from "../../src/services/messages/store";
import autoReply from "../fixtures/inbound/auto-reply.eml?raw";
import dsn from "../fixtures/inbound/dsn.eml?raw";
import htmlReply from "../fixtures/inbound/html-reply.eml?raw";
import outlookReply from "../fixtures/inbound/outlook-reply.eml?raw";
import plainReply from "../fixtures/inbound/plain-reply.eml?raw";
import { json } from "../helpers/api";
import { inbound, receive } from "../helpers/inbound-mail";
import { drainEvents, getMessage } from "../helpers/events";
import {
  child,
  drainSend,
  entry,
  type Fixture,
  fireAlarms,
  fixture,
  ledgerOf,
  runningScenario,
  useScenarioQueues,
} from "../helpers/scenario";

const q = useScenarioQueues();
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const DOMAIN = "replies.example";

/** Headers that make a fixture a reply to our message (and From the contact). */
const asReplyTo = (raw: string, messageId: string, from: string) =>
  raw
    .replace(/^From: .*$/m, `From: ${from}`)
    .replace(/^Message-ID: .*$/im, (h) => `${h}\r\nIn-Reply-To: <${messageId}@sender.example>`);

/** A two-step scenario (entry, then a follow-up two days later) with stop_on_reply; step 1 sent. */
async function sentStep(f: Fixture, settings: Record<string, unknown> = {}) {
  await json("/api/v1/settings/replies", {
    key: f.org.key,
    method: "PUT",
    body: { inbound_domain: DOMAIN, forward_to: "sales@company.example" },
    expect: 200,
  });
  const [a, b] = f.templates as [string, string];
  const s = await runningScenario(f, q, {
    settings: { reply_to: "owner@company.example", ...settings },
    steps: [entry(a), child(2, "delay", 1, b, { delay_days: 2 })],
    contacts: [{ email: "jean.dupont@client.example", first_name: "Jean" }],
  });
  let row: { id: string } | null = null;
  // The alarm's work can land just after runDurableObjectAlarm returns: go round until it is sent.
  for (let i = 0; i < 10 && !row; i++) {
    await fireAlarms(s.scenarioId, s.contactIds);
    await drainSend(q);
    row = await env.DB.prepare("SELECT id FROM messages WHERE scenario_id = ?1")
      .bind(s.scenarioId)
      .first<{ id: string }>();
  }
  const message = await getMessage(row?.id as string);
  return { ...s, message: message as NonNullable<typeof message> };
}

describe("reply addresses", () => {
  it("pack message and organization in 58 characters, signed; a changed character is refused", async () => {
    const key = env.ENCRYPTION_KEY;
    const msg = "msg_0123456789abcdef0123456789ab";
    const org = "org_fedcba9876543210fedcba987654";
    const address = (await replyAddress(key, org, msg, DOMAIN)) as string;
    expect(address).toMatch(/^reply\+[a-z2-7]{58}@replies\.example$/);
    expect(address.split("@")[0]?.length).toBeLessThanOrEqual(64);
    expect(await readReplyAddress(key, address)).toEqual({ messageId: msg, organizationId: org });
    expect(await readReplyAddress(key, address.toUpperCase())).toEqual({
      messageId: msg,
      organizationId: org,
    });
    const local = address.split("@")[0] as string;
    const flipped = `${local.slice(0, 10)}${local[10] === "a" ? "b" : "a"}${local.slice(11)}@${DOMAIN}`;
    expect(await readReplyAddress(key, flipped)).toBeNull();
    expect(await readReplyAddress("another key", address)).toBeNull();
    expect(await replyAddress(key, org, "msg_short", DOMAIN)).toBeNull();
  });
});

describe("reading inbound mail (postal-mime)", () => {
  it("strips the quoted history of a plain, an Outlook desktop and an Office 365 reply", async () => {
    const plain = await readInbound(plainReply);
    expect(plain.kind).toBe("reply");
    expect(plain.text).toBe("This is new email reply in thread from bellow.");
    const html = await readInbound(htmlReply);
    expect(html.kind).toBe("reply");
    expect(html.text).toContain("Hi John - Lorem ipsum dolor sit amet");
    expect(html.text).not.toContain("Hey James");
    expect(html.text).not.toContain("mailto:john@example.com");
    const outlook = await readInbound(outlookReply);
    expect(outlook.text).toContain("It has been so great to chat with you these past few days.");
    expect(outlook.text).toContain("Great. Bye!");
    expect(outlook.text).not.toContain("Wow, what a lovely email!");
    expect(outlook.text).not.toContain("From:");
  });

  it("knows an automatic reply and a delivery status notification", async () => {
    expect((await readInbound(autoReply)).kind).toBe("auto_reply");
    const ooo = plainReply.replace(/^Subject: .*$/m, "Subject: Réponse automatique : absent jusqu'au 5");
    expect((await readInbound(ooo)).kind).toBe("auto_reply");
    const submitted = plainReply.replace(/^Subject: /m, "Auto-Submitted: auto-replied\r\nSubject: ");
    expect((await readInbound(submitted)).kind).toBe("auto_reply");
    const no = plainReply.replace(/^Subject: /m, "Auto-Submitted: no\r\nSubject: ");
    expect((await readInbound(no)).kind).toBe("reply");
    const report = await readInbound(dsn);
    expect(report.kind).toBe("bounce");
    expect(report.dsn).toEqual({ status: "5.1.1", action: "failed", recipient: "joem@example.com" });
  });
});

describe("the email() handler", () => {
  it("end to end: Reply-To on the sent mail, the reply recorded, the sequence stopped, the inbox item, +10, forwarded", async () => {
    setClock(T0);
    const f = await fixture(2);
    const s = await sentStep(f);
    const raw = (await rawOf(env.ARCHIVE, s.message)) ?? "";
    const replyTo = /^Reply-To: <?(reply\+[a-z2-7]{58}@replies\.example)>?\r?$/m.exec(raw)?.[1];
    expect(replyTo).toBeDefined();

    const { message, seen } = inbound(plainReply, replyTo as string);
    await receive(message);
    expect(seen.forwarded).toEqual(["sales@company.example"]);
    expect(seen.rejected).toBeNull();
    await drainEvents();

    const after = await getMessage(s.message.id);
    expect(after?.status).toBe("replied");
    expect(after?.repliedAt).not.toBeNull();
    const seq = await env.DB.prepare(
      "SELECT status, stop_reason FROM contact_sequences WHERE scenario_id = ?1",
    )
      .bind(s.scenarioId)
      .first<{ status: string; stop_reason: string }>();
    expect(seq?.status).toBe("stopped");
    // The follow-up never goes: its deadline passes and no ledger row is written for it.
    setClock(T0 + 3 * 86_400_000);
    await fireAlarms(s.scenarioId, s.contactIds);
    await drainSend(q);
    expect((await ledgerOf(s.scenarioId)).map((r) => r.step_order)).toEqual([1]);

    const inbox = await json<{ items: { type: string; body: string | null; title: string }[] }>(
      "/api/v1/inbox?status=todo",
      { key: f.org.key, expect: 200 },
    );
    const item = inbox.items.find((i) => i.type === "reply");
    expect(item?.body).toBe("This is new email reply in thread from bellow.");
    expect(item?.title).toBe("Replied: Re: Your trial");
    const contact = await json<{ score: number }>(`/api/v1/contacts/${s.contactIds[0]}`, { key: f.org.key });
    expect(contact.score).toBe(10);

    // The same reply delivered again (the MTA retried) is one event.
    const again = inbound(plainReply, replyTo as string);
    await receive(again.message);
    await drainEvents();
    const replies = await env.DB.prepare(
      "SELECT count(*) AS n FROM interactions WHERE organization_id = ?1 AND type = 'reply'",
    )
      .bind(f.org.id)
      .first<{ n: number }>();
    expect(replies?.n).toBe(1);
  });

  it("matches by In-Reply-To when the reply went to another address, only from the recipient", async () => {
    setClock(T0);
    const f = await fixture(2);
    const s = await sentStep(f, { stop_on_reply: false });
    const fromContact = asReplyTo(htmlReply, s.message.id, "Jean <jean.dupont@client.example>");
    const ok = inbound(fromContact, `sales@${DOMAIN}`);
    await receive(ok.message);
    expect(ok.seen.forwarded).toEqual(["sales@company.example"]);
    await drainEvents();
    expect((await getMessage(s.message.id))?.status).toBe("replied");
    const seq = await env.DB.prepare("SELECT status FROM contact_sequences WHERE scenario_id = ?1")
      .bind(s.scenarioId)
      .first<{ status: string }>();
    expect(seq?.status).toBe("active");

    // Someone else quoting the same Message-ID records nothing; forwarded to the fallback.
    const stranger = asReplyTo(outlookReply, s.message.id, "Eve <eve@elsewhere.example>");
    const other = inbound(stranger, `sales@${DOMAIN}`, "eve@elsewhere.example");
    await receive(other.message);
    expect(other.seen.forwarded).toEqual([env.INBOUND_FALLBACK_TO]);
    const count = await env.DB.prepare(
      "SELECT count(*) AS n FROM events WHERE organization_id = ?1 AND source = 'inbound'",
    )
      .bind(f.org.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it("an automatic reply records auto_replied and stops nothing; a DSN records a bounce with its status", async () => {
    setClock(T0);
    const f = await fixture(2);
    const s = await sentStep(f);
    const address = (await replyAddress(env.ENCRYPTION_KEY, f.org.id, s.message.id, DOMAIN)) as string;
    const ooo = inbound(autoReply, address, "contact@example.com");
    await receive(ooo.message);
    expect(ooo.seen.forwarded).toEqual(["sales@company.example"]);
    await drainEvents();
    expect((await getMessage(s.message.id))?.status).not.toBe("replied");
    const seq = await env.DB.prepare("SELECT status FROM contact_sequences WHERE scenario_id = ?1")
      .bind(s.scenarioId)
      .first<{ status: string }>();
    expect(seq?.status).toBe("active");
    const types = await env.DB.prepare(
      "SELECT type FROM events WHERE organization_id = ?1 AND source = 'inbound'",
    )
      .bind(f.org.id)
      .all<{ type: string }>();
    expect(types.results.map((r) => r.type)).toEqual(["auto_replied"]);

    const report = inbound(dsn, address, "MAILER-DAEMON@example.com");
    await receive(report.message);
    expect(report.seen.forwarded).toEqual([]);
    await drainEvents();
    const bounced = await getMessage(s.message.id);
    expect(bounced?.status).toBe("bounced");
    expect(bounced?.failureReason).toBe("bounce: Permanent");
    const applied = await env.DB.prepare(
      "SELECT normalized FROM events WHERE organization_id = ?1 AND source = 'inbound' AND type = 'bounced'",
    )
      .bind(f.org.id)
      .first<{ normalized: string }>();
    expect(JSON.parse(applied?.normalized ?? "{}").event.properties.status).toBe("5.1.1");
  });

  it("a forged token is forwarded as-is and records nothing", async () => {
    setClock(T0);
    const f = await fixture(2);
    const s = await sentStep(f);
    const real = (await replyAddress(env.ENCRYPTION_KEY, f.org.id, s.message.id, DOMAIN)) as string;
    const forged = real.replace(/reply\+(.)/, (_, c) => `reply+${c === "a" ? "b" : "a"}`);
    const m = inbound(plainReply, forged, "someone@else.example");
    await receive(m.message);
    expect(m.seen.forwarded).toEqual([env.INBOUND_FALLBACK_TO]);
    const n = await env.DB.prepare(
      "SELECT count(*) AS n FROM events WHERE organization_id = ?1 AND source = 'inbound'",
    )
      .bind(f.org.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it("settings/replies validates the domain and the address; POST /email-events takes replied", async () => {
    const f = await fixture(1);
    const bad = await json("/api/v1/settings/replies", {
      key: f.org.key,
      method: "PUT",
      body: { inbound_domain: "not a domain" },
      expect: 422,
    });
    expect(bad.error.code).toBe("VALIDATION_ERROR");
    const got = await json("/api/v1/settings/replies", { key: f.org.key, expect: 200 });
    expect(got).toEqual({ inbound_domain: null, forward_to: null });
    const contact = await json<{ id: string }>("/api/v1/contacts", {
      key: f.org.key,
      body: { email: "lead@client.example" },
      expect: 201,
    });
    await json("/api/v1/email-events", {
      key: f.org.key,
      body: {
        provider: "crm",
        external_id: `crm-${f.org.id}`,
        event: "replied",
        occurred_at: new Date(T0).toISOString(),
        contact_id: contact.id,
        text: "Yes, call me on Monday.",
      },
      expect: 202,
    });
    await drainEvents();
    const inbox = await json<{ items: { type: string; body: string | null }[] }>("/api/v1/inbox", {
      key: f.org.key,
    });
    expect(inbox.items.find((i) => i.type === "reply")?.body).toBe("Yes, call me on Monday.");
  });
});
