/**
 * Bounded work on any inbound message: pathological shapes (a long quoted history, thousands of
 * `>` levels, a huge single line, the patterns that made the old reply parser backtrack, deep MIME
 * nesting, broken encodings) each read within the budget, asserted by the work counter of
 * reply-text.ts, never by wall time; through the email() handler each is recorded (a reply, or
 * `unparsed` with the raw message archived), none is lost.
 */
import { env } from "cloudflare:workers";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { readRaw } from "../../src/services/sending/archive";
import { replyText } from "../../src/services/replies/parse";
import { REPLY_BUDGET, type Work } from "../../src/services/replies/reply-text";
import { replyAddress } from "../../src/services/replies/token";
import { tenantScope } from "../../src/lib/tenant";
import { createOrg, json } from "../helpers/api";
import { db, drainEvents, seedContact, seedMessage } from "../helpers/events";
import { inbound, receive } from "../helpers/inbound-mail";

const DOMAIN = "replies.example";
const head = (extra = "") =>
  `From: Jean <jean@client.example>\r\nTo: r@${DOMAIN}\r\nSubject: Re: Hello\r\nMessage-ID: <${crypto.randomUUID()}@client.example>\r\n${extra}`;
const plain = (body: string) => `${head()}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}`;

/** The shapes: each a whole message. */
const CASES: Record<string, () => string> = {
  // 766 KB: a short answer above a very long quoted history.
  "long quoted history": () =>
    plain(
      `Yes, Tuesday works.\r\n\r\nOn Mon, 3 Nov 2026 at 10:00, Shop <news@shop.example> wrote:\r\n${"> an earlier line of the thread, quoted once more\r\n".repeat(15_000)}`,
    ),
  "thousands of > levels": () => plain(`Fine.\r\n\r\n${`${">".repeat(5000)} deep\r\n`.repeat(200)}`),
  "a huge single line": () => plain(`${"word ".repeat(400_000)}`),
  // The lines that sent email-reply-parser's regular expressions into cubic backtracking.
  "backtracking bait": () =>
    plain(
      Array.from({ length: 20_000 }, (_, i) => (i % 2 ? `Op ${i} schreef x` : `mon. ${i} skrev x`)).join(
        "\r\n",
      ),
    ),
  "many From: lines": () =>
    plain(Array.from({ length: 30_000 }, (_, i) => `From: someone ${i} [x`).join("\r\n")),
  "HTML with a huge quote": () =>
    `${head()}Content-Type: text/html; charset=utf-8\r\n\r\n<div>Merci !</div><div class="gmail_quote">${"<div><p>quoted</p>".repeat(40_000)}</div>`,
  "deeply nested HTML": () =>
    `${head()}Content-Type: text/html; charset=utf-8\r\n\r\n<p>Top</p>${"<div>".repeat(20_000)}x${"</div>".repeat(20_000)}`,
  "broken encodings": () =>
    `${head()}Content-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@not base64***\r\n=?utf-8?B?%%%?=\r\n`,
  "deep MIME nesting": () => {
    let body = "Content-Type: text/plain\r\n\r\ninnermost\r\n";
    for (let i = 0; i < 60; i++)
      body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
    return `${head()}MIME-Version: 1.0\r\n${body}`;
  },
};

async function setup() {
  const org = await createOrg();
  await json("/api/v1/settings/replies", {
    key: org.key,
    method: "PUT",
    body: { inbound_domain: DOMAIN, forward_to: "sales@company.example" },
    expect: 200,
  });
  const tenant = tenantScope(db, org.id);
  const contact = await seedContact(tenant, "jean@client.example");
  return { org, tenant, contactId: contact.id };
}

describe("bounded work on inbound mail", () => {
  it("reads every pathological shape within the budget (work counter, not time)", async () => {
    const report: string[] = [];
    for (const [name, make] of Object.entries(CASES)) {
      const raw = make();
      let mail: Awaited<ReturnType<typeof PostalMime.parse>> | null = null;
      try {
        mail = await PostalMime.parse(raw, { maxNestingDepth: 32, maxHeadersSize: 256 * 1024 });
      } catch {
        // Refused by the parser's own limits (deep nesting): recorded unparsed, below.
        expect(name, name).toBe("deep MIME nesting");
        continue;
      }
      const work: Work = { chars: 0 };
      const text = replyText(mail, work);
      expect(work.chars, name).toBeLessThanOrEqual(10 * REPLY_BUDGET.chars);
      report.push(
        `${name}: ${Math.round(raw.length / 1024)} KB in, ${Math.round(work.chars / 1024)} K characters read`,
      );
      expect(text.length, name).toBeLessThanOrEqual(20_000);
      if (name === "long quoted history") {
        expect(text).toBe("Yes, Tuesday works.");
        // The budget stops the reading early: most of the 766 KB is never looked at.
        expect(raw.length).toBeGreaterThan(700_000);
        expect(work.chars).toBeLessThan(REPLY_BUDGET.chars * 3);
      }
      if (name === "thousands of > levels") expect(text).toBe("Fine.");
      if (name === "HTML with a huge quote") expect(text).toBe("Merci !");
    }
    console.log(`bounded work (budget ${10 * (REPLY_BUDGET.chars / 1024)} K): ${report.join("; ")}`);
  });

  it("through the email() handler: each recorded, the raw kept in R2, none lost", async () => {
    const { org, tenant, contactId } = await setup();
    const outcomes: Record<string, { id: string; forwarded: string[] }> = {};
    for (const [name, make] of Object.entries(CASES)) {
      const id = await seedMessage(tenant, { contactId });
      const to = (await replyAddress(env.ENCRYPTION_KEY, org.id, id, DOMAIN)) as string;
      const mail = inbound(make(), to, "jean@client.example");
      await receive(mail.message);
      outcomes[name] = { id, forwarded: mail.seen.forwarded };
    }
    await drainEvents(5);
    for (const [name, o] of Object.entries(outcomes)) {
      const ev = await env.DB.prepare(
        "SELECT type, raw FROM events WHERE message_id = ?1 AND source = 'inbound'",
      )
        .bind(o.id)
        .first<{ type: string; raw: string }>();
      expect(ev?.type, name).toBe(name === "deep MIME nesting" ? "unparsed" : "replied");
      expect(o.forwarded, name).toEqual(["sales@company.example"]);
      // The message as it came, readable from its encrypted archive reference.
      const archived = JSON.parse(ev?.raw ?? "{}").archived as string;
      expect(archived, name).toMatch(/^r2:mime\//);
      const back = await readRaw(env.ARCHIVE, archived);
      expect(back?.length, name).toBeGreaterThan(100);
    }
  });

  it("a message over 5 MB is archived and recorded unparsed without being parsed", async () => {
    const { org, tenant, contactId } = await setup();
    const id = await seedMessage(tenant, { contactId });
    const to = (await replyAddress(env.ENCRYPTION_KEY, org.id, id, DOMAIN)) as string;
    const mail = inbound(plain(`Big.\r\n${"x".repeat(6 * 1024 * 1024)}`), to, "jean@client.example");
    await receive(mail.message);
    await drainEvents(3);
    const ev = await env.DB.prepare("SELECT type, raw FROM events WHERE message_id = ?1")
      .bind(id)
      .first<{ type: string; raw: string }>();
    expect(ev?.type).toBe("unparsed");
    expect(JSON.parse(ev?.raw ?? "{}").reason).toMatch(/over 5 MB/);
    expect(mail.seen.forwarded).toEqual(["sales@company.example"]);
    const msg = await env.DB.prepare("SELECT status FROM messages WHERE id = ?1")
      .bind(id)
      .first<{ status: string }>();
    expect(msg?.status).toBe("sent");
  });
});
