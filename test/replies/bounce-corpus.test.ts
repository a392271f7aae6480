/**
 * The bounce corpus (test/fixtures/bounces: flufl.bounce 4.0's test messages, LGPL-3.0, with the
 * failed addresses its tests expect) delivered through the Worker's email() handler as answers to
 * messages the platform sent, and the replies of test/fixtures/replies and inbound/ as the messages
 * that must not count as bounces. Prints recall and precision (the README quotes them).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { replyAddress } from "../../src/services/replies/token";
import { createOrg, json } from "../helpers/api";
import { db, drainEvents, seedContact, seedMessage } from "../helpers/events";
import { inbound, receive } from "../helpers/inbound-mail";
import { tenantScope } from "../../src/lib/tenant";

const DOMAIN = "replies.example";
const bounces = import.meta.glob("../fixtures/bounces/*.txt", {
  query: "?raw",
  import: "default",
  eager: true,
});
const replies = import.meta.glob("../fixtures/replies/*.txt", {
  query: "?raw",
  import: "default",
  eager: true,
});
const inboundMail = import.meta.glob("../fixtures/inbound/*.eml", {
  query: "?raw",
  import: "default",
  eager: true,
});
import expected from "../fixtures/bounces/expected.json";

type Expected = Record<string, { addresses: string[]; temporary: boolean }>;
/** Files of the corpus that are not bounces (an autoresponder, an Outlook reply). */
const NOT_BOUNCES = new Set(["qmail_08.txt", "groupwise_03.txt"]);
const name = (path: string) => path.split("/").pop() as string;
/** mbox files start with an envelope line ("From sender date") that Email Routing never hands over. */
const asDelivered = (raw: string) => raw.replace(/^From [^\n]*\n/, "");

async function sentTo(org: { id: string }, email: string) {
  const tenant = tenantScope(db, org.id);
  const existing = await env.DB.prepare("SELECT id FROM contacts WHERE organization_id = ?1 AND email = ?2")
    .bind(org.id, email.toLowerCase())
    .first<{ id: string }>();
  const contactId = existing?.id ?? (await seedContact(tenant, email)).id;
  const id = await seedMessage(tenant, { contactId });
  return { id, address: (await replyAddress(env.ENCRYPTION_KEY, org.id, id, DOMAIN)) as string };
}

const eventOf = (messageId: string) =>
  env.DB.prepare("SELECT type, raw FROM events WHERE message_id = ?1 AND source = 'inbound'")
    .bind(messageId)
    .first<{ type: string; raw: string }>();

describe("inbound mail corpus", () => {
  it("recognises the corpus's bounces with their address and kind, and no reply as a bounce", async () => {
    const org = await createOrg();
    await json("/api/v1/settings/replies", {
      key: org.key,
      method: "PUT",
      body: { inbound_domain: DOMAIN },
      expect: 200,
    });
    const exp = expected as Expected;
    const sent: { file: string; id: string; bounce: boolean; temporary: boolean; address?: string }[] = [];
    for (const [path, raw] of Object.entries(bounces)) {
      const file = name(path);
      const e = exp[file];
      const first = e?.addresses[0];
      // A bounce that names no address (obfuscated, or an AOL screen name) still answers a message.
      const m = await sentTo(org, first ?? `someone-${file.replace(/\W/g, "")}@example.com`);
      await receive(inbound(asDelivered(raw as string), m.address, "MAILER-DAEMON@example.net").message);
      sent.push({
        file,
        id: m.id,
        bounce: !NOT_BOUNCES.has(file),
        temporary: !!e?.temporary,
        address: first,
      });
    }
    for (const [path, raw] of [...Object.entries(replies), ...Object.entries(inboundMail)]) {
      if (name(path) === "dsn.eml") continue;
      const m = await sentTo(org, "reader@client.example");
      const text = raw as string;
      const mail = /^[\w-]+: /m.test(text.split("\n")[0] ?? "")
        ? text
        : `From: Reader <reader@client.example>\r\nTo: x@${DOMAIN}\r\nSubject: Re: Hello\r\nMessage-ID: <${m.id}-r@client.example>\r\n\r\n${text}`;
      await receive(inbound(mail, m.address, "reader@client.example").message);
      sent.push({ file: name(path), id: m.id, bounce: false, temporary: false });
    }
    await drainEvents(10);

    let truePositive = 0;
    let falsePositive = 0;
    let missed: string[] = [];
    const wrongKind: string[] = [];
    for (const s of sent) {
      const ev = await eventOf(s.id);
      const bounced = ev?.type === "bounced";
      if (!s.bounce) {
        if (bounced) falsePositive++;
        continue;
      }
      if (!bounced) {
        missed.push(s.file);
        continue;
      }
      truePositive++;
      const raw = JSON.parse(ev.raw) as { bounce_type: string; recipients: string[] };
      if ((raw.bounce_type === "Transient") !== s.temporary) wrongKind.push(`${s.file}: ${raw.bounce_type}`);
      if (s.address && !raw.recipients.includes(s.address.toLowerCase())) missed.push(`${s.file} (address)`);
    }
    missed = missed.filter((m) => m.endsWith("(address)") || !m.includes("("));
    const positives = sent.filter((s) => s.bounce).length;
    const withAddress = sent.filter((s) => s.bounce && s.address).length;
    const addressMisses = missed.filter((m) => m.endsWith("(address)")).length;
    const recall = truePositive / positives;
    const precision = truePositive / Math.max(1, truePositive + falsePositive);
    console.log(
      `bounce corpus: ${positives} bounces, ${sent.length - positives} other messages; recognised ${truePositive} (recall ${(recall * 100).toFixed(1)}%), ` +
        `address found ${withAddress - addressMisses}/${withAddress}, hard/soft right ${truePositive - wrongKind.length}/${truePositive}, ` +
        `false bounces ${falsePositive} (precision ${(precision * 100).toFixed(1)}%); missed: ${missed.join(", ") || "none"}; wrong kind: ${wrongKind.join(", ") || "none"}`,
    );
    expect(falsePositive).toBe(0);
    expect(recall).toBeGreaterThanOrEqual(0.97);
    expect(addressMisses).toBeLessThanOrEqual(2);
    expect(wrongKind).toEqual([]);

    // A permanent bounce suppressed its address; a soft one (a delay, a full mailbox) did not.
    const suppressed = async (email: string) =>
      (
        await json<{ items: unknown[] }>(`/api/v1/suppressions?q=${encodeURIComponent(email)}`, {
          key: org.key,
        })
      ).items.length > 0;
    expect(await suppressed("userx@example.za")).toBe(false);
    expect(await suppressed("calvin@example.com")).toBe(false);
    expect(await suppressed("joem@example.com")).toBe(true);
  });

  it("a delivery report of success, or a delay, never suppresses", async () => {
    const org = await createOrg();
    await json("/api/v1/settings/replies", {
      key: org.key,
      method: "PUT",
      body: { inbound_domain: DOMAIN },
      expect: 200,
    });
    const report = (action: string, status: string) =>
      [
        "From: Mail Delivery System <MAILER-DAEMON@mx.client.example>",
        "To: x@replies.example",
        "Subject: Delivery Status Notification",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        "",
        "--b",
        "Content-Type: text/plain",
        "",
        "This is a delivery status notification.",
        "--b",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.client.example",
        "",
        "Final-Recipient: rfc822; ok@client.example",
        `Action: ${action}`,
        `Status: ${status}`,
        "",
        "--b--",
        "",
      ].join("\r\n");
    const success = await sentTo(org, "ok@client.example");
    const delivered = inbound(report("deliverable", "2.1.5"), success.address);
    await receive(delivered.message);
    const relayed = await sentTo(org, "ok@client.example");
    await receive(inbound(report("relayed", "2.0.0"), relayed.address).message);
    const delayed = await sentTo(org, "ok@client.example");
    await receive(inbound(report("delayed", "4.4.7"), delayed.address).message);
    await drainEvents(5);
    expect(delivered.seen.forwarded).toEqual([]);
    expect(await eventOf(success.id)).toBeNull();
    expect(await eventOf(relayed.id)).toBeNull();
    const ev = await eventOf(delayed.id);
    expect(JSON.parse(ev?.raw ?? "{}").bounce_type).toBe("Transient");
    const list = await json<{ items: unknown[] }>("/api/v1/suppressions?q=ok%40client.example", {
      key: org.key,
    });
    expect(list.items).toEqual([]);
    const msg = await env.DB.prepare("SELECT status FROM messages WHERE id = ?1")
      .bind(success.id)
      .first<{ status: string }>();
    expect(msg?.status).toBe("sent");
  });
});
